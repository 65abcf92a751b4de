package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Shorthands for the seven languages of the catalogue.
var (
	en = language.English
	fr = language.French
	es = language.Spanish
	ar = language.Arabic
	zh = language.Chinese
	ru = language.Russian
	pt = language.Portuguese
)

// emailMessages holds every sentence of every email. A value is a format string, or a
// plural.Selectf for sentences with a count (x/text chooses the CLDR plural form). Keys
// name the sentence. Wording follows each language's conference usage: a session is a
// séance, sesión, جلسة, 场次, заседание, sessão; a booth a cabine, cabina, مقصورة, 同传箱,
// кабина, cabine.
var emailMessages = map[string]map[language.Tag]any{
	"greeting": {
		en: "Hello %s,", fr: "Bonjour %s,", es: "Hola, %s:", ar: "مرحبًا %s،",
		zh: "%s，您好：", ru: "Здравствуйте, %s!", pt: "Olá, %s,",
	},
	// Between a label and its value in the plain-text part; French puts a space before
	// the colon, Chinese uses the full-width colon.
	"sep.label": {en: ": ", fr: " : ", es: ": ", ar: ": ", zh: "：", ru: ": ", pt: ": "},
	"sep.list":  {en: ", ", fr: ", ", es: ", ", ar: "، ", zh: "、", ru: ", ", pt: ", "},
	"label.meeting": {
		en: "Meeting", fr: "Réunion", es: "Reunión", ar: "الاجتماع", zh: "会议", ru: "Мероприятие", pt: "Reunião",
	},
	"label.session": {
		en: "Session", fr: "Séance", es: "Sesión", ar: "الجلسة", zh: "场次", ru: "Заседание", pt: "Sessão",
	},
	"label.your_time": {
		en: "Your time (%s)", fr: "Votre heure (%s)", es: "Su hora (%s)", ar: "بتوقيتك (%s)",
		zh: "您的时间（%s）", ru: "Ваше время (%s)", pt: "Seu horário (%s)",
	},
	"label.venue_time": {
		en: "Venue time (%s)", fr: "Heure du lieu (%s)", es: "Hora del lugar (%s)", ar: "بتوقيت مكان الاجتماع (%s)",
		zh: "会场时间（%s）", ru: "Время на месте проведения (%s)", pt: "Horário do local (%s)",
	},
	"label.old_time": {en: "Was", fr: "Avant", es: "Antes", ar: "سابقًا", zh: "原时间", ru: "Было", pt: "Antes"},
	"label.new_time": {en: "Now", fr: "Désormais", es: "Ahora", ar: "حاليًا", zh: "新时间", ru: "Теперь", pt: "Agora"},
	"label.venue":    {en: "Venue", fr: "Lieu", es: "Lugar", ar: "المكان", zh: "地点", ru: "Место", pt: "Local"},
	"label.join": {
		en: "Join", fr: "Rejoindre", es: "Unirse", ar: "الانضمام", zh: "加入会议", ru: "Подключиться", pt: "Participar",
	},
	"label.booth":  {en: "Booth", fr: "Cabine", es: "Cabina", ar: "المقصورة", zh: "同传箱", ru: "Кабина", pt: "Cabine"},
	"label.team":   {en: "Team", fr: "Équipe", es: "Equipo", ar: "الفريق", zh: "同组译员", ru: "Команда", pt: "Equipe"},
	"label.reason": {en: "Reason", fr: "Motif", es: "Motivo", ar: "السبب", zh: "原因", ru: "Причина", pt: "Motivo"},
	"link.manage": {
		en: "Manage your registration", fr: "Gérer votre inscription", es: "Gestionar su inscripción",
		ar: "إدارة تسجيلك", zh: "管理您的报名", ru: "Управление регистрацией", pt: "Gerenciar sua inscrição",
	},
	"link.unsubscribe": {
		en: "Unsubscribe", fr: "Se désabonner", es: "Darse de baja", ar: "إلغاء الاشتراك",
		zh: "退订", ru: "Отписаться", pt: "Cancelar inscrição nos e-mails",
	},
	"link.calendar": {
		en: "Add to your calendar", fr: "Ajouter à votre agenda", es: "Añadir a su calendario", ar: "إضافة إلى تقويمك",
		zh: "添加到日历", ru: "Добавить в календарь", pt: "Adicionar à sua agenda",
	},
	"link.confirm": {
		en: "Confirm my registration", fr: "Confirmer mon inscription", es: "Confirmar mi inscripción",
		ar: "تأكيد تسجيلي", zh: "确认报名", ru: "Подтвердить регистрацию", pt: "Confirmar minha inscrição",
	},
	"link.accept": {
		en: "Accept the assignment", fr: "Accepter l’affectation", es: "Aceptar la asignación", ar: "قبول التكليف",
		zh: "接受任务", ru: "Принять назначение", pt: "Aceitar a designação",
	},
	"link.decline": {
		en: "Decline the assignment", fr: "Refuser l’affectation", es: "Rechazar la asignación", ar: "رفض التكليف",
		zh: "拒绝任务", ru: "Отклонить назначение", pt: "Recusar a designação",
	},
	"note.title_language": {
		en: "This title is not available in %[1]s; it is shown in %[2]s.",
		fr: "Ce titre n’est pas disponible en %[1]s ; il est affiché en %[2]s.",
		es: "Este título no está disponible en %[1]s; se muestra en %[2]s.",
		ar: "هذا العنوان غير متوفر باللغة %[1]s؛ وهو معروض باللغة %[2]s.",
		zh: "此标题暂无%[1]s版本，现以%[2]s显示。",
		ru: "Это название недоступно на языке «%[1]s»; оно показано на языке «%[2]s».",
		pt: "Este título não está disponível em %[1]s; é exibido em %[2]s.",
	},
	"footer.registrant": {
		en: "You receive this email because you registered for %s.",
		fr: "Vous recevez ce courriel parce que vous vous êtes inscrit(e) à %s.",
		es: "Recibe este correo porque se inscribió en %s.",
		ar: "تصلك هذه الرسالة لأنك سجّلت في %s.",
		zh: "您收到此邮件，是因为您报名参加了%s。",
		ru: "Вы получили это письмо, потому что зарегистрировались на мероприятие «%s».",
		pt: "Você recebe este e-mail porque se inscreveu em %s.",
	},
	"footer.pending": {
		en: "Someone, probably you, registered this address for %s. If it was not you, ignore this email: without confirmation nothing more will be sent.",
		fr: "Quelqu’un, sans doute vous, a inscrit cette adresse à %s. Si ce n’est pas vous, ignorez ce courriel : sans confirmation, rien d’autre ne vous sera envoyé.",
		es: "Alguien, probablemente usted, inscribió esta dirección en %s. Si no fue usted, ignore este correo: sin confirmación no se le enviará nada más.",
		ar: "قام أحدهم، وربما أنت، بتسجيل هذا العنوان في %s. إن لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسل إليك شيء آخر دون تأكيد.",
		zh: "有人（可能是您本人）用此邮箱报名参加了%s。如非本人操作，请忽略此邮件：未经确认，我们不会再向您发送任何邮件。",
		ru: "Кто-то, вероятно вы, указал этот адрес при регистрации на мероприятие «%s». Если это были не вы, просто проигнорируйте письмо: без подтверждения мы больше ничего не пришлём.",
		pt: "Alguém, provavelmente você, inscreveu este endereço em %s. Se não foi você, ignore este e-mail: sem confirmação, nada mais será enviado.",
	},
	"footer.interpreter": {
		en: "You receive this email as an interpreter of %s.",
		fr: "Vous recevez ce courriel en tant qu’interprète de %s.",
		es: "Recibe este correo como intérprete de %s.",
		ar: "تصلك هذه الرسالة بصفتك مترجمًا فوريًا في %s.",
		zh: "您收到此邮件，是因为您是%s的口译员。",
		ru: "Вы получили это письмо как устный переводчик мероприятия «%s».",
		pt: "Você recebe este e-mail como intérprete de %s.",
	},

	// Double opt-in: the link that makes a self-registration active.
	"pending.subject": {
		en: "Please confirm your registration: %s", fr: "Veuillez confirmer votre inscription : %s",
		es: "Confirme su inscripción: %s", ar: "يُرجى تأكيد تسجيلك: %s",
		zh: "请确认您的报名：%s", ru: "Подтвердите регистрацию: %s", pt: "Confirme sua inscrição: %s",
	},
	"pending.lead": {
		en: "Thank you for registering for %s. Your registration becomes active once you open the link below.",
		fr: "Merci de votre inscription à %s. Elle deviendra active dès que vous aurez ouvert le lien ci-dessous.",
		es: "Gracias por inscribirse en %s. Su inscripción quedará activa cuando abra el enlace siguiente.",
		ar: "شكرًا لتسجيلك في %s. يصبح تسجيلك نافذًا بمجرد فتح الرابط أدناه.",
		zh: "感谢您报名参加%s。打开下方链接后，您的报名即可生效。",
		ru: "Спасибо за регистрацию на мероприятие «%s». Регистрация вступит в силу, как только вы откроете ссылку ниже.",
		pt: "Obrigado por se inscrever em %s. Sua inscrição passa a valer assim que você abrir o link abaixo.",
	},

	// Registration confirmation.
	"confirmation.subject": {
		en: "Registration confirmed: %s", fr: "Inscription confirmée : %s", es: "Inscripción confirmada: %s",
		ar: "تأكيد التسجيل: %s", zh: "报名已确认：%s", ru: "Регистрация подтверждена: %s", pt: "Inscrição confirmada: %s",
	},
	"confirmation.lead": {
		en: "Your registration for %s is confirmed.",
		fr: "Votre inscription à %s est confirmée.",
		es: "Su inscripción en %s está confirmada.",
		ar: "تم تأكيد تسجيلك في %s.",
		zh: "您已成功报名参加%s。",
		ru: "Ваша регистрация на мероприятие «%s» подтверждена.",
		pt: "Sua inscrição em %s está confirmada.",
	},
	"confirmation.sessions": {
		en: plural.Selectf(1, "%d",
			"=1", "You are registered for 1 session; we will remind you before it starts.",
			"other", "You are registered for %d sessions; we will remind you before each one starts."),
		fr: plural.Selectf(1, "%d",
			"=1", "Vous êtes inscrit(e) à 1 séance ; nous vous la rappellerons avant son début.",
			"other", "Vous êtes inscrit(e) à %d séances ; nous vous rappellerons chacune avant son début."),
		es: plural.Selectf(1, "%d",
			"=1", "Está inscrito/a en 1 sesión; le enviaremos un recordatorio antes de que empiece.",
			"other", "Está inscrito/a en %d sesiones; le enviaremos un recordatorio antes de cada una."),
		ar: plural.Selectf(1, "%d",
			"=1", "أنت مسجّل في جلسة واحدة، وسنذكّرك بها قبل بدئها.",
			"=2", "أنت مسجّل في جلستين، وسنذكّرك بكل منهما قبل بدئها.",
			"few", "أنت مسجّل في %d جلسات، وسنذكّرك بكل منها قبل بدئها.",
			"other", "أنت مسجّل في %d جلسة، وسنذكّرك بكل منها قبل بدئها."),
		zh: plural.Selectf(1, "%d",
			"=1", "您已报名参加1个场次，我们会在开始前提醒您。",
			"other", "您已报名参加%d个场次，我们会在每个场次开始前提醒您。"),
		ru: plural.Selectf(1, "%d",
			"=1", "Вы зарегистрированы на 1 заседание; мы напомним вам о нём перед началом.",
			"one", "Вы зарегистрированы на %d заседание; мы напомним вам о каждом перед началом.",
			"few", "Вы зарегистрированы на %d заседания; мы напомним вам о каждом перед началом.",
			"other", "Вы зарегистрированы на %d заседаний; мы напомним вам о каждом перед началом."),
		pt: plural.Selectf(1, "%d",
			"=1", "Você está inscrito(a) em 1 sessão; vamos lembrá-lo(a) antes do início.",
			"other", "Você está inscrito(a) em %d sessões; vamos lembrá-lo(a) antes do início de cada uma."),
	},
	"confirmation.first": {
		en: "Next session: %s", fr: "Prochaine séance : %s", es: "Próxima sesión: %s", ar: "الجلسة القادمة: %s",
		zh: "下一场次：%s", ru: "Следующее заседание: %s", pt: "Próxima sessão: %s",
	},

	// Reminder.
	"reminder.subject": {
		en: "Reminder: %[1]s %[2]s", fr: "Rappel : %[1]s %[2]s", es: "Recordatorio: %[1]s %[2]s",
		ar: "تذكير: %[1]s %[2]s", zh: "提醒：%[1]s将于%[2]s开始", ru: "Напоминание: %[1]s %[2]s", pt: "Lembrete: %[1]s %[2]s",
	},
	"reminder.lead": {
		en: "%[1]s starts %[2]s.", fr: "%[1]s commence %[2]s.", es: "%[1]s empieza %[2]s.", ar: "تبدأ %[1]s %[2]s.",
		zh: "%[1]s将于%[2]s开始。", ru: "«%[1]s» начнётся %[2]s.", pt: "%[1]s começa %[2]s.",
	},
	"in.hours": {
		en: plural.Selectf(1, "%d", "=1", "in 1 hour", "other", "in %d hours"),
		fr: plural.Selectf(1, "%d", "one", "dans %d heure", "other", "dans %d heures"),
		es: plural.Selectf(1, "%d", "=1", "dentro de 1 hora", "other", "dentro de %d horas"),
		ar: plural.Selectf(1, "%d", "=1", "بعد ساعة واحدة", "=2", "بعد ساعتين",
			"few", "بعد %d ساعات", "other", "بعد %d ساعة"),
		zh: plural.Selectf(1, "%d", "other", "%d小时后"),
		ru: plural.Selectf(1, "%d", "=1", "через час", "one", "через %d час", "few", "через %d часа", "other", "через %d часов"),
		pt: plural.Selectf(1, "%d", "=1", "em 1 hora", "other", "em %d horas"),
	},
	"in.minutes": {
		en: plural.Selectf(1, "%d", "=1", "in 1 minute", "other", "in %d minutes"),
		fr: plural.Selectf(1, "%d", "one", "dans %d minute", "other", "dans %d minutes"),
		es: plural.Selectf(1, "%d", "=1", "dentro de 1 minuto", "other", "dentro de %d minutos"),
		ar: plural.Selectf(1, "%d", "=1", "بعد دقيقة واحدة", "=2", "بعد دقيقتين",
			"few", "بعد %d دقائق", "other", "بعد %d دقيقة"),
		zh: plural.Selectf(1, "%d", "other", "%d分钟后"),
		ru: plural.Selectf(1, "%d", "=1", "через минуту", "one", "через %d минуту", "few", "через %d минуты", "other", "через %d минут"),
		pt: plural.Selectf(1, "%d", "=1", "em 1 minuto", "other", "em %d minutos"),
	},

	// Change notice.
	"change.subject": {
		en: "New time: %s", fr: "Nouvel horaire : %s", es: "Nuevo horario: %s", ar: "موعد جديد: %s",
		zh: "时间变更：%s", ru: "Новое время: %s", pt: "Novo horário: %s",
	},
	"change.lead": {
		en: "%s has been rescheduled. Your reminders follow the new time.",
		fr: "%s a été reprogrammée. Vos rappels suivent le nouvel horaire.",
		es: "%s ha sido reprogramada. Sus recordatorios siguen el nuevo horario.",
		ar: "تم تغيير موعد %s. ستصلك التذكيرات وفق الموعد الجديد.",
		zh: "%s的时间已调整。您的提醒将按新时间发送。",
		ru: "Время заседания «%s» изменено. Напоминания придут по новому времени.",
		pt: "%s foi remarcada. Seus lembretes seguem o novo horário.",
	},

	// Cancellation notice.
	"cancel.subject": {
		en: "Cancelled: %s", fr: "Annulée : %s", es: "Cancelada: %s", ar: "إلغاء: %s",
		zh: "已取消：%s", ru: "Отменено: %s", pt: "Cancelada: %s",
	},
	"cancel.lead": {
		en: "%s has been cancelled. You will receive no more reminders for it.",
		fr: "%s a été annulée. Vous ne recevrez plus de rappel à son sujet.",
		es: "%s ha sido cancelada. No recibirá más recordatorios sobre ella.",
		ar: "تم إلغاء %s. لن تصلك أي تذكيرات أخرى بشأنها.",
		zh: "%s已取消。您将不再收到相关提醒。",
		ru: "Заседание «%s» отменено. Напоминаний о нём больше не будет.",
		pt: "%s foi cancelada. Você não receberá mais lembretes sobre ela.",
	},

	// Interpreter assignment offer.
	"offer.subject": {
		en: "Assignment offer: %[1]s, %[2]s booth", fr: "Proposition d’affectation : %[1]s, cabine %[2]s",
		es: "Propuesta de asignación: %[1]s, cabina %[2]s", ar: "عرض تكليف: %[1]s، مقصورة %[2]s",
		zh: "任务邀请：%[1]s，%[2]s同传箱", ru: "Предложение о назначении: %[1]s, кабина %[2]s",
		pt: "Proposta de designação: %[1]s, cabine %[2]s",
	},
	"offer.lead": {
		en: "You are offered an assignment in the %[2]s booth for %[1]s. Please accept or decline it with the links below.",
		fr: "Une affectation en cabine %[2]s vous est proposée pour %[1]s. Merci de l’accepter ou de la refuser avec les liens ci-dessous.",
		es: "Se le propone una asignación en la cabina %[2]s para %[1]s. Acéptela o recházela con los enlaces siguientes.",
		ar: "يُعرض عليك تكليف في مقصورة %[2]s في %[1]s. يُرجى قبوله أو رفضه عبر الرابطين أدناه.",
		zh: "我们邀请您在%[1]s担任%[2]s同传箱的口译工作。请通过下方链接接受或拒绝。",
		ru: "Вам предлагается работа в кабине %[2]s на заседании «%[1]s». Пожалуйста, примите или отклоните предложение по ссылкам ниже.",
		pt: "Você recebeu uma proposta de designação na cabine %[2]s para %[1]s. Aceite ou recuse pelos links abaixo.",
	},

	// Interpreter assignment changed.
	"assignment_changed.subject": {
		en: "Assignment changed: %[1]s, %[2]s booth", fr: "Affectation modifiée : %[1]s, cabine %[2]s",
		es: "Asignación modificada: %[1]s, cabina %[2]s", ar: "تعديل التكليف: %[1]s، مقصورة %[2]s",
		zh: "任务变更：%[1]s，%[2]s同传箱", ru: "Назначение изменено: %[1]s, кабина %[2]s",
		pt: "Designação alterada: %[1]s, cabine %[2]s",
	},
	"assignment_changed.lead": {
		en: "Your assignment in the %[2]s booth for %[1]s has changed. The calendar invitation is updated.",
		fr: "Votre affectation en cabine %[2]s pour %[1]s a changé. L’invitation de votre agenda est mise à jour.",
		es: "Su asignación en la cabina %[2]s para %[1]s ha cambiado. La invitación de su calendario se ha actualizado.",
		ar: "تم تعديل تكليفك في مقصورة %[2]s في %[1]s. وقد حُدّثت دعوة التقويم.",
		zh: "您在%[1]s的%[2]s同传箱任务已变更，日历邀请已同步更新。",
		ru: "Ваше назначение в кабину %[2]s на заседании «%[1]s» изменилось. Приглашение в календаре обновлено.",
		pt: "Sua designação na cabine %[2]s para %[1]s mudou. O convite da agenda foi atualizado.",
	},

	// Interpreter assignment withdrawn.
	"withdrawn.subject": {
		en: "Assignment withdrawn: %[1]s, %[2]s booth", fr: "Affectation retirée : %[1]s, cabine %[2]s",
		es: "Asignación retirada: %[1]s, cabina %[2]s", ar: "سحب التكليف: %[1]s، مقصورة %[2]s",
		zh: "任务撤销：%[1]s，%[2]s同传箱", ru: "Назначение отозвано: %[1]s, кабина %[2]s",
		pt: "Designação retirada: %[1]s, cabine %[2]s",
	},
	"withdrawn.lead": {
		en: "Your assignment in the %[2]s booth for %[1]s has been withdrawn. The calendar entry is cancelled.",
		fr: "Votre affectation en cabine %[2]s pour %[1]s a été retirée. L’entrée de votre agenda est annulée.",
		es: "Su asignación en la cabina %[2]s para %[1]s ha sido retirada. La entrada de su calendario queda cancelada.",
		ar: "تم سحب تكليفك في مقصورة %[2]s في %[1]s. وأُلغي الموعد من تقويمك.",
		zh: "您在%[1]s的%[2]s同传箱任务已撤销，日历中的相应日程已取消。",
		ru: "Ваше назначение в кабину %[2]s на заседании «%[1]s» отозвано. Запись в календаре отменена.",
		pt: "Sua designação na cabine %[2]s para %[1]s foi retirada. O compromisso da agenda foi cancelado.",
	},

	// An offer not answered by its deadline.
	"expired.subject": {
		en: "Offer expired: %[1]s, %[2]s booth", fr: "Offre expirée : %[1]s, cabine %[2]s",
		es: "Oferta vencida: %[1]s, cabina %[2]s", ar: "انتهت مهلة العرض: %[1]s، مقصورة %[2]s",
		zh: "邀请已过期：%[1]s，%[2]s同传箱", ru: "Срок предложения истёк: %[1]s, кабина %[2]s",
		pt: "Oferta expirada: %[1]s, cabine %[2]s",
	},
	"expired.lead": {
		en: "The offer of the %[2]s booth for %[1]s was not answered by its deadline and has lapsed; the seat is offered to a colleague. The calendar entry is cancelled.",
		fr: "L’offre de la cabine %[2]s pour %[1]s n’a pas reçu de réponse dans le délai et a expiré ; la place est proposée à un ou une collègue. L’entrée de votre agenda est annulée.",
		es: "La oferta de la cabina %[2]s para %[1]s no recibió respuesta en el plazo y ha vencido; el puesto se ofrece a otra persona. La entrada de su calendario queda cancelada.",
		ar: "لم يصل ردّك على عرض مقصورة %[2]s في %[1]s قبل انقضاء المهلة، فانتهى العرض وعُرض المقعد على زميل. وأُلغي الموعد من تقويمك.",
		zh: "您未在截止时间前答复%[1]s的%[2]s同传箱邀请，该邀请已失效，席位将另行邀请其他同事。日历中的相应日程已取消。",
		ru: "На предложение работать в кабине %[2]s на заседании «%[1]s» не поступило ответа в срок, и оно истекло; место предложено коллеге. Запись в календаре отменена.",
		pt: "A oferta da cabine %[2]s para %[1]s não foi respondida no prazo e expirou; a vaga é oferecida a outra pessoa. O compromisso da agenda foi cancelado.",
	},
}
