// Package conventions holds, as tests, the rules of the house that the compiler does not
// check and a reviewer should not have to: they walk the module's source and name every
// place that breaks one, so that it cannot come back unseen.
package conventions
