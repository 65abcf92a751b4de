package i18n

import "golang.org/x/text/language"

// assignmentMessages are the sentences of the interpreter's assignment page
// (services/interpretation). They follow the emails' wording: an assignment is an
// affectation, asignación, تكليف, 任务, назначение, designação. French and Spanish state
// names agree with the feminine noun, Portuguese with designação, Arabic with the
// masculine تكليف, Russian with the neuter назначение.
var assignmentMessages = map[string]map[language.Tag]any{
	"assignment.title": {
		en: "Interpretation assignment", fr: "Affectation d’interprétation", es: "Asignación de interpretación",
		ar: "تكليف بالترجمة الفورية", zh: "口译任务", ru: "Назначение на устный перевод", pt: "Designação de interpretação",
	},
	"assignment.dear": {
		en: "Dear %s,", fr: "Bonjour %s,", es: "Estimado/a %s:", ar: "مرحبًا %s،",
		zh: "%s，您好：", ru: "Здравствуйте, %s!", pt: "Prezado(a) %s,",
	},
	"assignment.role": {en: "Role", fr: "Rôle", es: "Función", ar: "الدور", zh: "职责", ru: "Роль", pt: "Função"},
	"assignment.time": {
		en: "Time (%s)", fr: "Horaire (%s)", es: "Horario (%s)", ar: "الوقت (%s)",
		zh: "时间（%s）", ru: "Время (%s)", pt: "Horário (%s)",
	},
	"assignment.status": {en: "Status", fr: "Statut", es: "Estado", ar: "الحالة", zh: "状态", ru: "Статус", pt: "Situação"},
	"assignment.accept": {en: "Accept", fr: "Accepter", es: "Aceptar", ar: "قبول", zh: "接受", ru: "Принять", pt: "Aceitar"},
	"assignment.decline": {
		en: "Decline", fr: "Refuser", es: "Rechazar", ar: "رفض", zh: "拒绝", ru: "Отклонить", pt: "Recusar",
	},
	"assignment.confirm_accept": {
		en: "Please confirm that you accept this assignment.", fr: "Veuillez confirmer que vous acceptez cette affectation.",
		es: "Confirme, por favor, que acepta esta asignación.", ar: "يُرجى تأكيد قبولك لهذا التكليف.",
		zh: "请确认您接受此任务。", ru: "Пожалуйста, подтвердите, что принимаете это назначение.",
		pt: "Confirme, por favor, que aceita esta designação.",
	},
	"assignment.confirm_decline": {
		en: "Please confirm that you decline this assignment.", fr: "Veuillez confirmer que vous refusez cette affectation.",
		es: "Confirme, por favor, que rechaza esta asignación.", ar: "يُرجى تأكيد رفضك لهذا التكليف.",
		zh: "请确认您拒绝此任务。", ru: "Пожалуйста, подтвердите, что отклоняете это назначение.",
		pt: "Confirme, por favor, que recusa esta designação.",
	},
	"assignment.both_choices": {
		en: "See both choices", fr: "Voir les deux choix", es: "Ver ambas opciones", ar: "عرض الخيارين",
		zh: "查看两个选项", ru: "Показать оба варианта", pt: "Ver as duas opções",
	},
	"assignment.accepted": {
		en: "Thank you: you accepted this assignment. A calendar invitation follows by email.",
		fr: "Merci\u00a0: vous avez accepté cette affectation. Une invitation d’agenda vous sera envoyée par courriel.",
		es: "Gracias: ha aceptado esta asignación. Recibirá una invitación de calendario por correo electrónico.",
		ar: "شكرًا لك: لقد قبلت هذا التكليف. ستصلك دعوة التقويم عبر البريد الإلكتروني.",
		zh: "谢谢：您已接受此任务。日历邀请将通过电子邮件发送给您。",
		ru: "Спасибо: вы приняли это назначение. Приглашение в календарь придёт по электронной почте.",
		pt: "Obrigado: você aceitou esta designação. Um convite de agenda será enviado por e-mail.",
	},
	"assignment.declined": {
		en: "Thank you: you declined this assignment. The secretariat has been told.",
		fr: "Merci\u00a0: vous avez refusé cette affectation. Le secrétariat en a été informé.",
		es: "Gracias: ha rechazado esta asignación. Se ha informado a la secretaría.",
		ar: "شكرًا لك: لقد رفضت هذا التكليف. وقد أُبلغت الأمانة بذلك.",
		zh: "谢谢：您已拒绝此任务。我们已通知秘书处。",
		ru: "Спасибо: вы отклонили это назначение. Секретариат уведомлён.",
		pt: "Obrigado: você recusou esta designação. O secretariado foi informado.",
	},
	"assignment.nothing_to_answer": {
		en: "This assignment is %s; there is nothing to answer.",
		fr: "Cette affectation est %s\u00a0; il n’y a rien à répondre.",
		es: "Esta asignación está %s; no hay nada que responder.",
		ar: "هذا التكليف %s؛ لا حاجة إلى أي رد.",
		zh: "此任务的状态为“%s”，无需答复。",
		ru: "Статус назначения: «%s»; отвечать не требуется.",
		pt: "Esta designação está %s; não há nada a responder.",
	},
	"assignment.state.proposed": {
		en: "proposed", fr: "proposée", es: "propuesta", ar: "مقترح", zh: "拟议", ru: "предложено", pt: "proposta",
	},
	"assignment.state.offered": {
		en: "offered", fr: "offerte", es: "ofrecida", ar: "معروض", zh: "已发出邀请", ru: "направлено", pt: "oferecida",
	},
	"assignment.state.accepted": {
		en: "accepted", fr: "acceptée", es: "aceptada", ar: "مقبول", zh: "已接受", ru: "принято", pt: "aceita",
	},
	"assignment.state.declined": {
		en: "declined", fr: "refusée", es: "rechazada", ar: "مرفوض", zh: "已拒绝", ru: "отклонено", pt: "recusada",
	},
	"assignment.state.withdrawn": {
		en: "withdrawn", fr: "retirée", es: "retirada", ar: "مسحوب", zh: "已撤销", ru: "отозвано", pt: "retirada",
	},
	"assignment.state.expired": {
		en: "expired", fr: "expirée", es: "vencida", ar: "منتهي المهلة", zh: "已过期", ru: "истекло", pt: "expirada",
	},
	"assignment.role.interpreter": {
		en: "interpreter", fr: "interprète", es: "intérprete", ar: "مترجم فوري", zh: "口译员", ru: "переводчик", pt: "intérprete",
	},
	"assignment.role.retour": {
		en: "retour", fr: "retour", es: "retour", ar: "ترجمة عكسية", zh: "反向翻译（译入B语）", ru: "ретур", pt: "retour",
	},
	"assignment.role.relay_giver": {
		en: "gives relay", fr: "assure le relais", es: "da relé", ar: "يوفّر الترجمة الوسيطة",
		zh: "提供接力", ru: "даёт релей", pt: "fornece relé",
	},
	"assignment.role.relay_taker": {
		en: "takes relay", fr: "prend le relais", es: "toma relé", ar: "يترجم عبر لغة وسيطة",
		zh: "借助接力", ru: "работает через релей", pt: "trabalha com relé",
	},
}
