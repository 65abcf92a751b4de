package render

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Languages Plenary writes emails in. The first is the last resort of the fallback chain.
var supported = []language.Tag{language.English, language.French, language.Spanish, language.Arabic}

// messages holds every sentence of every email, per language. A value is a format
// string, or a plural.Selectf for sentences with a count. Keys name the sentence.
var messages = map[string]map[language.Tag]any{
	"greeting": {
		language.English: "Hello %s,",
		language.French:  "Bonjour %s,",
		language.Spanish: "Hola, %s:",
		language.Arabic:  "مرحبًا %s،",
	},
	// Between a label and its value in the plain-text part; French puts a space before
	// the colon.
	"sep.label": {
		language.English: ": ", language.French: " : ", language.Spanish: ": ", language.Arabic: ": ",
	},
	"sep.list": {
		language.English: ", ", language.French: ", ", language.Spanish: ", ", language.Arabic: "، ",
	},
	"label.meeting": {
		language.English: "Meeting", language.French: "Réunion", language.Spanish: "Reunión", language.Arabic: "الاجتماع",
	},
	"label.session": {
		language.English: "Session", language.French: "Séance", language.Spanish: "Sesión", language.Arabic: "الجلسة",
	},
	"label.your_time": {
		language.English: "Your time (%s)", language.French: "Votre heure (%s)",
		language.Spanish: "Su hora (%s)", language.Arabic: "بتوقيتك (%s)",
	},
	"label.venue_time": {
		language.English: "Venue time (%s)", language.French: "Heure du lieu (%s)",
		language.Spanish: "Hora del lugar (%s)", language.Arabic: "بتوقيت مكان الاجتماع (%s)",
	},
	"label.old_time": {
		language.English: "Was", language.French: "Avant", language.Spanish: "Antes", language.Arabic: "سابقًا",
	},
	"label.new_time": {
		language.English: "Now", language.French: "Désormais", language.Spanish: "Ahora", language.Arabic: "حاليًا",
	},
	"label.venue": {
		language.English: "Venue", language.French: "Lieu", language.Spanish: "Lugar", language.Arabic: "المكان",
	},
	"label.join": {
		language.English: "Join", language.French: "Rejoindre", language.Spanish: "Unirse", language.Arabic: "الانضمام",
	},
	"label.booth": {
		language.English: "Booth", language.French: "Cabine", language.Spanish: "Cabina", language.Arabic: "المقصورة",
	},
	"label.team": {
		language.English: "Team", language.French: "Équipe", language.Spanish: "Equipo", language.Arabic: "الفريق",
	},
	"label.reason": {
		language.English: "Reason", language.French: "Motif", language.Spanish: "Motivo", language.Arabic: "السبب",
	},
	"link.manage": {
		language.English: "Manage your registration", language.French: "Gérer votre inscription",
		language.Spanish: "Gestionar su inscripción", language.Arabic: "إدارة تسجيلك",
	},
	"link.unsubscribe": {
		language.English: "Unsubscribe", language.French: "Se désabonner",
		language.Spanish: "Darse de baja", language.Arabic: "إلغاء الاشتراك",
	},
	"link.accept": {
		language.English: "Accept the assignment", language.French: "Accepter l’affectation",
		language.Spanish: "Aceptar la asignación", language.Arabic: "قبول التكليف",
	},
	"link.decline": {
		language.English: "Decline the assignment", language.French: "Refuser l’affectation",
		language.Spanish: "Rechazar la asignación", language.Arabic: "رفض التكليف",
	},
	"note.title_language": {
		language.English: "This title is not available in %[1]s; it is shown in %[2]s.",
		language.French:  "Ce titre n’est pas disponible en %[1]s ; il est affiché en %[2]s.",
		language.Spanish: "Este título no está disponible en %[1]s; se muestra en %[2]s.",
		language.Arabic:  "هذا العنوان غير متوفر باللغة %[1]s؛ وهو معروض باللغة %[2]s.",
	},
	"footer.registrant": {
		language.English: "You receive this email because you registered for %s.",
		language.French:  "Vous recevez ce courriel parce que vous vous êtes inscrit(e) à %s.",
		language.Spanish: "Recibe este correo porque se inscribió en %s.",
		language.Arabic:  "تصلك هذه الرسالة لأنك سجّلت في %s.",
	},
	"footer.interpreter": {
		language.English: "You receive this email as an interpreter of %s.",
		language.French:  "Vous recevez ce courriel en tant qu’interprète de %s.",
		language.Spanish: "Recibe este correo como intérprete de %s.",
		language.Arabic:  "تصلك هذه الرسالة بصفتك مترجمًا فوريًا في %s.",
	},

	// Registration confirmation.
	"confirmation.subject": {
		language.English: "Registration confirmed: %s", language.French: "Inscription confirmée : %s",
		language.Spanish: "Inscripción confirmada: %s", language.Arabic: "تأكيد التسجيل: %s",
	},
	"confirmation.lead": {
		language.English: "Your registration for %s is confirmed.",
		language.French:  "Votre inscription à %s est confirmée.",
		language.Spanish: "Su inscripción en %s está confirmada.",
		language.Arabic:  "تم تأكيد تسجيلك في %s.",
	},
	"confirmation.sessions": {
		language.English: plural.Selectf(1, "%d",
			"=1", "You are registered for 1 session; we will remind you before it starts.",
			"other", "You are registered for %d sessions; we will remind you before each one starts."),
		language.French: plural.Selectf(1, "%d",
			"=1", "Vous êtes inscrit(e) à 1 séance ; nous vous la rappellerons avant son début.",
			"other", "Vous êtes inscrit(e) à %d séances ; nous vous rappellerons chacune avant son début."),
		language.Spanish: plural.Selectf(1, "%d",
			"=1", "Está inscrito/a en 1 sesión; le enviaremos un recordatorio antes de que empiece.",
			"other", "Está inscrito/a en %d sesiones; le enviaremos un recordatorio antes de cada una."),
		language.Arabic: plural.Selectf(1, "%d",
			"=1", "أنت مسجّل في جلسة واحدة، وسنذكّرك بها قبل بدئها.",
			"=2", "أنت مسجّل في جلستين، وسنذكّرك بكل منهما قبل بدئها.",
			"few", "أنت مسجّل في %d جلسات، وسنذكّرك بكل منها قبل بدئها.",
			"other", "أنت مسجّل في %d جلسة، وسنذكّرك بكل منها قبل بدئها."),
	},
	"confirmation.first": {
		language.English: "Next session: %s", language.French: "Prochaine séance : %s",
		language.Spanish: "Próxima sesión: %s", language.Arabic: "الجلسة القادمة: %s",
	},

	// Reminder.
	"reminder.subject": {
		language.English: "Reminder: %[1]s %[2]s", language.French: "Rappel : %[1]s %[2]s",
		language.Spanish: "Recordatorio: %[1]s %[2]s", language.Arabic: "تذكير: %[1]s %[2]s",
	},
	"reminder.lead": {
		language.English: "%[1]s starts %[2]s.", language.French: "%[1]s commence %[2]s.",
		language.Spanish: "%[1]s empieza %[2]s.", language.Arabic: "تبدأ %[1]s %[2]s.",
	},
	"in.hours": {
		language.English: plural.Selectf(1, "%d", "=1", "in 1 hour", "other", "in %d hours"),
		language.French:  plural.Selectf(1, "%d", "one", "dans %d heure", "other", "dans %d heures"),
		language.Spanish: plural.Selectf(1, "%d", "=1", "dentro de 1 hora", "other", "dentro de %d horas"),
		language.Arabic: plural.Selectf(1, "%d", "=1", "بعد ساعة واحدة", "=2", "بعد ساعتين",
			"few", "بعد %d ساعات", "other", "بعد %d ساعة"),
	},
	"in.minutes": {
		language.English: plural.Selectf(1, "%d", "=1", "in 1 minute", "other", "in %d minutes"),
		language.French:  plural.Selectf(1, "%d", "one", "dans %d minute", "other", "dans %d minutes"),
		language.Spanish: plural.Selectf(1, "%d", "=1", "dentro de 1 minuto", "other", "dentro de %d minutos"),
		language.Arabic: plural.Selectf(1, "%d", "=1", "بعد دقيقة واحدة", "=2", "بعد دقيقتين",
			"few", "بعد %d دقائق", "other", "بعد %d دقيقة"),
	},

	// Change notice.
	"change.subject": {
		language.English: "New time: %s", language.French: "Nouvel horaire : %s",
		language.Spanish: "Nuevo horario: %s", language.Arabic: "موعد جديد: %s",
	},
	"change.lead": {
		language.English: "%s has been rescheduled. Your reminders follow the new time.",
		language.French:  "%s a été reprogrammée. Vos rappels suivent le nouvel horaire.",
		language.Spanish: "%s ha sido reprogramada. Sus recordatorios siguen el nuevo horario.",
		language.Arabic:  "تم تغيير موعد %s. ستصلك التذكيرات وفق الموعد الجديد.",
	},

	// Cancellation notice.
	"cancel.subject": {
		language.English: "Cancelled: %s", language.French: "Annulée : %s",
		language.Spanish: "Cancelada: %s", language.Arabic: "إلغاء: %s",
	},
	"cancel.lead": {
		language.English: "%s has been cancelled. You will receive no more reminders for it.",
		language.French:  "%s a été annulée. Vous ne recevrez plus de rappel à son sujet.",
		language.Spanish: "%s ha sido cancelada. No recibirá más recordatorios sobre ella.",
		language.Arabic:  "تم إلغاء %s. لن تصلك أي تذكيرات أخرى بشأنها.",
	},

	// Interpreter assignment offer.
	"offer.subject": {
		language.English: "Assignment offer: %[1]s, %[2]s booth", language.French: "Proposition d’affectation : %[1]s, cabine %[2]s",
		language.Spanish: "Propuesta de asignación: %[1]s, cabina %[2]s", language.Arabic: "عرض تكليف: %[1]s، مقصورة %[2]s",
	},
	"offer.lead": {
		language.English: "You are offered an assignment in the %[2]s booth for %[1]s. Please accept or decline it with the links below.",
		language.French:  "Une affectation en cabine %[2]s vous est proposée pour %[1]s. Merci de l’accepter ou de la refuser avec les liens ci-dessous.",
		language.Spanish: "Se le propone una asignación en la cabina %[2]s para %[1]s. Acéptela o recházela con los enlaces siguientes.",
		language.Arabic:  "يُعرض عليك تكليف في مقصورة %[2]s في %[1]s. يُرجى قبوله أو رفضه عبر الرابطين أدناه.",
	},

	// Interpreter assignment changed.
	"assignment_changed.subject": {
		language.English: "Assignment changed: %[1]s, %[2]s booth", language.French: "Affectation modifiée : %[1]s, cabine %[2]s",
		language.Spanish: "Asignación modificada: %[1]s, cabina %[2]s", language.Arabic: "تعديل التكليف: %[1]s، مقصورة %[2]s",
	},
	"assignment_changed.lead": {
		language.English: "Your assignment in the %[2]s booth for %[1]s has changed. The calendar invitation is updated.",
		language.French:  "Votre affectation en cabine %[2]s pour %[1]s a changé. L’invitation de votre agenda est mise à jour.",
		language.Spanish: "Su asignación en la cabina %[2]s para %[1]s ha cambiado. La invitación de su calendario se ha actualizado.",
		language.Arabic:  "تم تعديل تكليفك في مقصورة %[2]s في %[1]s. وقد حُدّثت دعوة التقويم.",
	},

	// Interpreter assignment withdrawn.
	"withdrawn.subject": {
		language.English: "Assignment withdrawn: %[1]s, %[2]s booth", language.French: "Affectation retirée : %[1]s, cabine %[2]s",
		language.Spanish: "Asignación retirada: %[1]s, cabina %[2]s", language.Arabic: "سحب التكليف: %[1]s، مقصورة %[2]s",
	},
	"withdrawn.lead": {
		language.English: "Your assignment in the %[2]s booth for %[1]s has been withdrawn. The calendar entry is cancelled.",
		language.French:  "Votre affectation en cabine %[2]s pour %[1]s a été retirée. L’entrée de votre agenda est annulée.",
		language.Spanish: "Su asignación en la cabina %[2]s para %[1]s ha sido retirada. La entrada de su calendario queda cancelada.",
		language.Arabic:  "تم سحب تكليفك في مقصورة %[2]s في %[1]s. وأُلغي الموعد من تقويمك.",
	},
}

func buildCatalog() (*catalog.Builder, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, byLang := range messages {
		for tag, msg := range byLang {
			var err error
			switch m := msg.(type) {
			case string:
				err = b.SetString(tag, key, m)
			case catalog.Message:
				err = b.Set(tag, key, m)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}
