package notifier

import "time"

// SetAckWait makes n's consumer wait d for an acknowledgement before redelivering, so
// that a test of a notifier dying with events in hand does not wait 30 seconds.
func SetAckWait(n *Notifier, d time.Duration) { n.ackWait = d }
