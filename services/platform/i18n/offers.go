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

// secretariatMessages are the sentences of the secretariat's notice of seats still open.
var secretariatMessages = map[string]map[language.Tag]any{
	"greeting.secretariat": {en: "Hello,", fr: "Bonjour,", es: "Hola:", ar: "مرحبًا،", zh: "您好：", ru: "Здравствуйте!", pt: "Olá,"},
	"footer.secretariat": {
		en: "You receive this email as the secretariat of %s.",
		fr: "Vous recevez ce courriel en tant que secrétariat de %s.",
		es: "Recibe este correo como secretaría de %s.",
		ar: "تصلك هذه الرسالة بصفتك أمانة %s.",
		zh: "您收到此邮件，是因为您是%s的秘书处。",
		ru: "Вы получили это письмо как секретариат мероприятия «%s».",
		pt: "Você recebe este e-mail como secretariado de %s.",
	},
	"open_seats.subject": {
		en: "Interpretation seats still open: %s", fr: "Places d’interprétation encore à pourvoir : %s",
		es: "Puestos de interpretación aún por cubrir: %s", ar: "مقاعد ترجمة فورية لا تزال شاغرة: %s",
		zh: "口译席位仍有空缺：%s", ru: "Остались свободные места устных переводчиков: %s",
		pt: "Vagas de interpretação ainda em aberto: %s",
	},
	"open_seats.lead": {
		en: "These booths of %s still have fewer accepted interpreters than the staffing policy needs. The staffing board shows every seat; offer the open ones or find more interpreters.",
		fr: "Ces cabines de %s comptent encore moins d’interprètes ayant accepté que la politique d’effectifs ne l’exige. Le tableau des effectifs montre chaque place ; offrez les places libres ou trouvez d’autres interprètes.",
		es: "Estas cabinas de %s aún tienen menos intérpretes que hayan aceptado de los que exige la política de dotación. El tablero de dotación muestra cada puesto; ofrezca los puestos libres o busque más intérpretes.",
		ar: "لا يزال عدد المترجمين الذين قبلوا التكليف في هذه المقصورات من %s أقل مما تقتضيه سياسة التوظيف. تعرض لوحة التوظيف كل مقعد؛ اعرض المقاعد الشاغرة أو ابحث عن مترجمين آخرين.",
		zh: "%s的下列同传箱中，已接受任务的口译员人数仍少于配员政策的要求。配员看板列出了每个席位；请发出空缺席位的邀请或另寻口译员。",
		ru: "В этих кабинах мероприятия «%s» пока меньше давших согласие переводчиков, чем требует правило комплектования. На доске комплектования видно каждое место; предложите свободные места или найдите других переводчиков.",
		pt: "Estas cabines de %s ainda têm menos intérpretes que aceitaram do que a política de equipes exige. O quadro de equipes mostra cada vaga; ofereça as vagas livres ou procure mais intérpretes.",
	},
	"open_seats.missing": {
		en: "open: %[1]d of %[2]d", fr: "à pourvoir : %[1]d sur %[2]d", es: "por cubrir: %[1]d de %[2]d", ar: "شاغرة: %[1]d من %[2]d",
		zh: "空缺%[1]d个（共%[2]d个）", ru: "свободно: %[1]d из %[2]d", pt: "em aberto: %[1]d de %[2]d",
	},
	"open_seats.offered": {
		en: "offered, not answered: %[1]d (first deadline %[2]s)", fr: "offertes sans réponse : %[1]d (premier délai : %[2]s)",
		es: "ofrecidos sin respuesta: %[1]d (primer plazo: %[2]s)", ar: "معروضة دون رد: %[1]d (أول مهلة: %[2]s)",
		zh: "已邀请未答复：%[1]d个（最早截止：%[2]s）", ru: "предложено, без ответа: %[1]d (первый срок: %[2]s)",
		pt: "oferecidas sem resposta: %[1]d (primeiro prazo: %[2]s)",
	},
	"open_seats.proposed": {
		en: "proposed, not offered: %d", fr: "proposées, non offertes : %d", es: "propuestos, no ofrecidos: %d", ar: "مقترحة لم تُعرض: %d",
		zh: "已拟议未邀请：%d个", ru: "кандидат выбран, предложение не направлено: %d", pt: "propostas, não oferecidas: %d",
	},
	"open_seats.unstaffed": {
		en: "no interpreter proposed: %d", fr: "aucun interprète proposé : %d", es: "sin intérprete propuesto: %d", ar: "دون مترجم مقترح: %d",
		zh: "无拟议口译员：%d个", ru: "нет кандидата: %d", pt: "sem intérprete proposto: %d",
	},
	"open_seats.declined": {
		en: "declined or expired so far: %d", fr: "refusées ou expirées jusqu’ici : %d", es: "rechazados o vencidos hasta ahora: %d",
		ar: "مرفوضة أو منتهية المهلة حتى الآن: %d", zh: "迄今已拒绝或过期：%d个", ru: "отклонено или истекло: %d",
		pt: "recusadas ou expiradas até agora: %d",
	},
}
