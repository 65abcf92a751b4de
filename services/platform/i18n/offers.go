package i18n

import "golang.org/x/text/language"

// offerMessages are the sentences of the interpreters' offers (the answer deadline and the
// reminder before it) and of the secretariat's notice of seats still open. Wording follows
// the other emails: an offer is an offre, oferta, عرض, 邀请, предложение, oferta.
var offerMessages = map[string]map[language.Tag]any{
	"label.answer_by": {
		en: "Answer by (%s)", fr: "Délai de réponse (%s)", es: "Plazo de respuesta (%s)", ar: "آخر موعد للرد (%s)",
		zh: "答复截止时间（%s）", ru: "Срок ответа (%s)", pt: "Prazo de resposta (%s)",
	},
	"offer.deadline_note": {
		en: "If there is no answer by the deadline, the offer lapses and the seat is offered to a colleague.",
		fr: "Sans réponse dans le délai, l’offre expire et la place est proposée à un ou une collègue.",
		es: "Si no responde en el plazo, la oferta vence y el puesto se ofrece a otra persona.",
		ar: "إن لم يصل ردّك قبل انقضاء المهلة، ينتهي العرض ويُعرض المقعد على زميل.",
		zh: "如未在截止时间前答复，该邀请将失效，席位将另行邀请其他同事。",
		ru: "Если ответа не будет в срок, предложение истечёт и место будет предложено коллеге.",
		pt: "Sem resposta no prazo, a oferta expira e a vaga é oferecida a outra pessoa.",
	},
	"offer_reminder.subject": {
		en: "Reminder: answer the offer for %[1]s, %[2]s booth", fr: "Rappel : répondez à l’offre pour %[1]s, cabine %[2]s",
		es: "Recordatorio: responda a la oferta para %[1]s, cabina %[2]s", ar: "تذكير: يُرجى الرد على عرض %[1]s، مقصورة %[2]s",
		zh: "提醒：请答复%[1]s的任务邀请，%[2]s同传箱", ru: "Напоминание: ответьте на предложение: %[1]s, кабина %[2]s",
		pt: "Lembrete: responda à oferta para %[1]s, cabine %[2]s",
	},
	"offer_reminder.lead": {
		en: "You have not yet answered the offer of the %[2]s booth for %[1]s. It lapses %[3]s: please accept or decline it with the links below.",
		fr: "Vous n’avez pas encore répondu à l’offre de la cabine %[2]s pour %[1]s. Elle expire %[3]s : merci de l’accepter ou de la refuser avec les liens ci-dessous.",
		es: "Aún no ha respondido a la oferta de la cabina %[2]s para %[1]s. Vence %[3]s: acéptela o recházela con los enlaces siguientes.",
		ar: "لم تردّ بعد على عرض مقصورة %[2]s في %[1]s. ينتهي العرض %[3]s: يُرجى قبوله أو رفضه عبر الرابطين أدناه.",
		zh: "您尚未答复%[1]s的%[2]s同传箱邀请。该邀请将于%[3]s失效，请通过下方链接接受或拒绝。",
		ru: "Вы ещё не ответили на предложение работать в кабине %[2]s на заседании «%[1]s». Оно истекает %[3]s: пожалуйста, примите или отклоните его по ссылкам ниже.",
		pt: "Você ainda não respondeu à oferta da cabine %[2]s para %[1]s. Ela expira %[3]s: aceite ou recuse pelos links abaixo.",
	},
}
