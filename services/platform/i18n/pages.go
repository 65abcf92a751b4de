package i18n

import "golang.org/x/text/language"

// pageMessages are the sentences of the public and registrant pages (services/web).
var pageMessages = map[string]map[language.Tag]any{}
