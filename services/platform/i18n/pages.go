package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// pageMessages are the sentences of the public and registrant pages (services/web). Field
// errors say what to do, in the reader's language, next to the field they are about.
var pageMessages = map[string]map[language.Tag]any{
	"page.skip": {
		en: "Skip to content", fr: "Aller au contenu", es: "Ir al contenido", ar: "الانتقال إلى المحتوى",
		zh: "跳至正文", ru: "Перейти к содержанию", pt: "Ir para o conteúdo",
	},
	"page.language": {en: "Language", fr: "Langue", es: "Idioma", ar: "اللغة", zh: "语言", ru: "Язык", pt: "Idioma"},
	"page.zone": {
		en: "Time zone", fr: "Fuseau horaire", es: "Zona horaria", ar: "المنطقة الزمنية", zh: "时区", ru: "Часовой пояс", pt: "Fuso horário",
	},
	"page.show": {en: "Show", fr: "Afficher", es: "Mostrar", ar: "عرض", zh: "显示", ru: "Показать", pt: "Mostrar"},
	"page.shown_in": {
		en: "Times are shown in %s, with the venue’s time beside them.",
		fr: "Les heures sont indiquées pour %s, avec l’heure du lieu à côté.",
		es: "Las horas se muestran para %s, junto a la hora del lugar.",
		ar: "تُعرض الأوقات بتوقيت %s، وإلى جانبها توقيت مكان الاجتماع.",
		zh: "时间按%s显示，旁附会场时间。",
		ru: "Время указано для пояса %s, рядом — время на месте проведения.",
		pt: "Os horários são exibidos para %s, ao lado do horário do local.",
	},
	"page.agenda": {en: "Agenda", fr: "Ordre du jour", es: "Programa", ar: "جدول الأعمال", zh: "议程", ru: "Программа", pt: "Programação"},
	"page.no_sessions": {
		en: "No session is scheduled yet.", fr: "Aucune séance n’est encore prévue.", es: "Todavía no hay ninguna sesión programada.",
		ar: "لم تُحدَّد أي جلسة بعد.", zh: "尚未安排任何场次。", ru: "Заседания пока не запланированы.", pt: "Ainda não há nenhuma sessão programada.",
	},
	"page.cancelled": {en: "Cancelled", fr: "Annulée", es: "Cancelada", ar: "ملغاة", zh: "已取消", ru: "Отменено", pt: "Cancelada"},
	"page.moved":     {en: "Rescheduled", fr: "Reprogrammée", es: "Reprogramada", ar: "تغيّر موعدها", zh: "时间已调整", ru: "Перенесено", pt: "Remarcada"},
	"page.channels": {
		en: "Interpretation", fr: "Interprétation", es: "Interpretación", ar: "الترجمة الفورية", zh: "同声传译", ru: "Синхронный перевод", pt: "Interpretação",
	},
	"page.floor": {
		en: "Spoken on the floor", fr: "Langues des intervenants", es: "Idiomas de los oradores", ar: "لغات المتحدثين",
		zh: "发言语言", ru: "Языки выступлений", pt: "Idiomas dos oradores",
	},
	"page.speakers": {en: "Speakers", fr: "Intervenants", es: "Oradores", ar: "المتحدثون", zh: "发言人", ru: "Выступающие", pt: "Oradores"},

	// Registration form.
	"page.register": {en: "Register", fr: "S’inscrire", es: "Inscribirse", ar: "التسجيل", zh: "报名", ru: "Регистрация", pt: "Inscrever-se"},
	"page.register_lead": {
		en: "Register to receive reminders and changes by email. We will send you a link to confirm your address.",
		fr: "Inscrivez-vous pour recevoir par courriel les rappels et les changements. Nous vous enverrons un lien pour confirmer votre adresse.",
		es: "Inscríbase para recibir por correo los recordatorios y los cambios. Le enviaremos un enlace para confirmar su dirección.",
		ar: "سجّل لتصلك التذكيرات والتغييرات عبر البريد الإلكتروني. سنرسل إليك رابطًا لتأكيد عنوانك.",
		zh: "报名后，您将通过电子邮件收到提醒和变更通知。我们会向您发送一个确认邮箱地址的链接。",
		ru: "Зарегистрируйтесь, чтобы получать напоминания и сообщения об изменениях по электронной почте. Мы пришлём ссылку для подтверждения адреса.",
		pt: "Inscreva-se para receber lembretes e alterações por e-mail. Enviaremos um link para confirmar seu endereço.",
	},
	"page.name": {en: "Full name", fr: "Nom complet", es: "Nombre completo", ar: "الاسم الكامل", zh: "姓名", ru: "Имя и фамилия", pt: "Nome completo"},
	"page.email": {
		en: "Email address", fr: "Adresse électronique", es: "Correo electrónico", ar: "البريد الإلكتروني",
		zh: "电子邮箱", ru: "Адрес электронной почты", pt: "Endereço de e-mail",
	},
	"page.sessions": {en: "Sessions", fr: "Séances", es: "Sesiones", ar: "الجلسات", zh: "场次", ru: "Заседания", pt: "Sessões"},
	"page.all_sessions": {
		en: "All sessions, including those added later", fr: "Toutes les séances, y compris celles ajoutées plus tard",
		es: "Todas las sesiones, incluidas las que se añadan más adelante", ar: "جميع الجلسات، بما فيها ما يُضاف لاحقًا",
		zh: "所有场次，包括日后新增的场次", ru: "Все заседания, включая добавленные позже", pt: "Todas as sessões, inclusive as adicionadas depois",
	},
	"page.some_sessions": {
		en: "Only the sessions ticked below", fr: "Seulement les séances cochées ci-dessous", es: "Solo las sesiones marcadas a continuación",
		ar: "الجلسات المحددة أدناه فقط", zh: "仅限下方勾选的场次", ru: "Только отмеченные ниже заседания", pt: "Somente as sessões marcadas abaixo",
	},
	"page.consent": {
		en: "Send me a reminder by email before each of my sessions",
		fr: "M’envoyer un rappel par courriel avant chacune de mes séances",
		es: "Enviarme un recordatorio por correo antes de cada una de mis sesiones",
		ar: "أرسل إليّ تذكيرًا بالبريد الإلكتروني قبل كل جلسة من جلساتي",
		zh: "在我的每个场次开始前通过电子邮件提醒我",
		ru: "Присылать мне напоминание по электронной почте перед каждым моим заседанием",
		pt: "Enviar-me um lembrete por e-mail antes de cada uma das minhas sessões",
	},
	"page.honeypot": {
		en: "Leave this field empty", fr: "Laissez ce champ vide", es: "Deje este campo vacío", ar: "اترك هذا الحقل فارغًا",
		zh: "请勿填写此栏", ru: "Оставьте это поле пустым", pt: "Deixe este campo em branco",
	},
	"page.seats_left": {
		en: plural.Selectf(1, "%d", "=1", "1 seat left", "other", "%d seats left"),
		fr: plural.Selectf(1, "%d", "one", "%d place restante", "other", "%d places restantes"),
		es: plural.Selectf(1, "%d", "=1", "Queda 1 plaza", "other", "Quedan %d plazas"),
		ar: plural.Selectf(1, "%d", "=1", "بقي مقعد واحد", "=2", "بقي مقعدان", "few", "بقيت %d مقاعد", "other", "بقي %d مقعدًا"),
		zh: plural.Selectf(1, "%d", "other", "剩余%d个名额"),
		ru: plural.Selectf(1, "%d", "one", "Осталось %d место", "few", "Осталось %d места", "other", "Осталось %d мест"),
		pt: plural.Selectf(1, "%d", "=1", "Resta 1 vaga", "other", "Restam %d vagas"),
	},
	"page.full": {
		en: "Full: no seat left", fr: "Complet : plus aucune place", es: "Completo: no quedan plazas", ar: "مكتملة: لم يبقَ أي مقعد",
		zh: "已满：无剩余名额", ru: "Мест нет", pt: "Lotada: não há mais vagas",
	},
	"page.closed": {
		en: "Registration for this meeting is closed.", fr: "Les inscriptions à cette réunion sont closes.",
		es: "La inscripción para esta reunión está cerrada.", ar: "أُغلق باب التسجيل في هذا الاجتماع.",
		zh: "本次会议的报名已截止。", ru: "Регистрация на это мероприятие закрыта.", pt: "As inscrições para esta reunião estão encerradas.",
	},
	"page.sent_title": {
		en: "Check your email", fr: "Consultez vos courriels", es: "Revise su correo", ar: "تحقّق من بريدك الإلكتروني",
		zh: "请查收邮件", ru: "Проверьте почту", pt: "Verifique seu e-mail",
	},
	"page.sent": {
		en: "We have sent a confirmation link to %s. Your registration becomes active when you open it.",
		fr: "Nous avons envoyé un lien de confirmation à %s. Votre inscription deviendra active lorsque vous l’ouvrirez.",
		es: "Hemos enviado un enlace de confirmación a %s. Su inscripción quedará activa cuando lo abra.",
		ar: "أرسلنا رابط التأكيد إلى %s. يصبح تسجيلك نافذًا عند فتحه.",
		zh: "我们已向%s发送确认链接。打开该链接后，您的报名即可生效。",
		ru: "Мы отправили ссылку для подтверждения на адрес %s. Регистрация вступит в силу, когда вы её откроете.",
		pt: "Enviamos um link de confirmação para %s. Sua inscrição passa a valer quando você o abrir.",
	},

	// Field errors and refusals of the form.
	"page.err.summary": {
		en: "Please correct the fields marked below.", fr: "Veuillez corriger les champs signalés ci-dessous.",
		es: "Corrija los campos señalados a continuación.", ar: "يُرجى تصحيح الحقول المشار إليها أدناه.",
		zh: "请更正下方标出的栏目。", ru: "Исправьте отмеченные ниже поля.", pt: "Corrija os campos indicados abaixo.",
	},
	"page.err.name": {
		en: "Enter your name.", fr: "Indiquez votre nom.", es: "Indique su nombre.", ar: "أدخل اسمك.",
		zh: "请填写姓名。", ru: "Укажите имя.", pt: "Informe seu nome.",
	},
	"page.err.email": {
		en: "Enter an email address such as name@example.org.", fr: "Indiquez une adresse électronique comme nom@exemple.org.",
		es: "Indique un correo electrónico como nombre@ejemplo.org.", ar: "أدخل عنوان بريد إلكتروني مثل name@example.org.",
		zh: "请填写有效的电子邮箱，例如 name@example.org。", ru: "Укажите адрес электронной почты, например name@example.org.",
		pt: "Informe um endereço de e-mail como nome@exemplo.org.",
	},
	"page.err.language": {
		en: "Choose a language from the list.", fr: "Choisissez une langue dans la liste.", es: "Elija un idioma de la lista.",
		ar: "اختر لغة من القائمة.", zh: "请从列表中选择一种语言。", ru: "Выберите язык из списка.", pt: "Escolha um idioma da lista.",
	},
	"page.err.zone": {
		en: "Choose a time zone from the list, such as America/Montreal.", fr: "Choisissez un fuseau horaire dans la liste, par exemple America/Montreal.",
		es: "Elija una zona horaria de la lista, por ejemplo America/Montreal.", ar: "اختر منطقة زمنية من القائمة، مثل America/Montreal.",
		zh: "请从列表中选择时区，例如 America/Montreal。", ru: "Выберите часовой пояс из списка, например America/Montreal.",
		pt: "Escolha um fuso horário da lista, por exemplo America/Montreal.",
	},
	"page.err.sessions": {
		en: "Tick at least one session, or choose all sessions.", fr: "Cochez au moins une séance, ou choisissez toutes les séances.",
		es: "Marque al menos una sesión o elija todas las sesiones.", ar: "حدّد جلسة واحدة على الأقل، أو اختر جميع الجلسات.",
		zh: "请至少勾选一个场次，或选择所有场次。", ru: "Отметьте хотя бы одно заседание или выберите все.",
		pt: "Marque pelo menos uma sessão ou escolha todas as sessões.",
	},
	"page.err.full": {
		en: "This session is full: untick it to register for the others.", fr: "Cette séance est complète : décochez-la pour vous inscrire aux autres.",
		es: "Esta sesión está completa: desmárquela para inscribirse en las demás.", ar: "هذه الجلسة مكتملة: ألغِ تحديدها لتسجّل في الجلسات الأخرى.",
		zh: "该场次已满：请取消勾选，以报名其他场次。", ru: "На это заседание мест нет: снимите отметку, чтобы зарегистрироваться на остальные.",
		pt: "Esta sessão está lotada: desmarque-a para se inscrever nas outras.",
	},
	"page.err.already": {
		en: "This email address is already registered for this meeting. Use the link in the email you received to change your registration.",
		fr: "Cette adresse est déjà inscrite à cette réunion. Utilisez le lien du courriel reçu pour modifier votre inscription.",
		es: "Esta dirección ya está inscrita en esta reunión. Use el enlace del correo recibido para modificar su inscripción.",
		ar: "هذا العنوان مسجّل بالفعل في هذا الاجتماع. استخدم الرابط الوارد في الرسالة التي تلقيتها لتعديل تسجيلك.",
		zh: "此邮箱已报名本次会议。如需修改报名，请使用您收到的邮件中的链接。",
		ru: "Этот адрес уже зарегистрирован на мероприятие. Чтобы изменить регистрацию, воспользуйтесь ссылкой из полученного письма.",
		pt: "Este endereço já está inscrito nesta reunião. Use o link do e-mail recebido para alterar sua inscrição.",
	},
	"page.err.rate": {
		en: "Too many registrations were sent from your connection or for this address. Please try again in a few minutes.",
		fr: "Trop d’inscriptions ont été envoyées depuis votre connexion ou pour cette adresse. Veuillez réessayer dans quelques minutes.",
		es: "Se enviaron demasiadas inscripciones desde su conexión o para esta dirección. Vuelva a intentarlo en unos minutos.",
		ar: "أُرسل عدد كبير جدًا من طلبات التسجيل من اتصالك أو لهذا العنوان. يُرجى المحاولة مجددًا بعد بضع دقائق.",
		zh: "来自您的网络或针对此邮箱的报名次数过多，请几分钟后再试。",
		ru: "С вашего подключения или для этого адреса отправлено слишком много заявок. Повторите попытку через несколько минут.",
		pt: "Foram enviadas inscrições demais da sua conexão ou para este endereço. Tente novamente em alguns minutos.",
	},

	// Registrant's pages.
	"page.manage_title": {
		en: "Your registration", fr: "Votre inscription", es: "Su inscripción", ar: "تسجيلك", zh: "您的报名", ru: "Ваша регистрация", pt: "Sua inscrição",
	},
	"page.confirmed": {
		en: "Thank you: your registration is confirmed.", fr: "Merci : votre inscription est confirmée.",
		es: "Gracias: su inscripción está confirmada.", ar: "شكرًا لك: تم تأكيد تسجيلك.",
		zh: "谢谢：您的报名已确认。", ru: "Спасибо: ваша регистрация подтверждена.", pt: "Obrigado: sua inscrição está confirmada.",
	},
	"page.saved": {
		en: "Your changes are saved.", fr: "Vos modifications sont enregistrées.", es: "Sus cambios se han guardado.",
		ar: "تم حفظ تغييراتك.", zh: "您的更改已保存。", ru: "Изменения сохранены.", pt: "Suas alterações foram salvas.",
	},
	"page.unsubscribed_note": {
		en: "You have unsubscribed: no email is sent to you about this meeting.",
		fr: "Vous êtes désabonné(e) : aucun courriel ne vous est envoyé au sujet de cette réunion.",
		es: "Se ha dado de baja: no se le envía ningún correo sobre esta reunión.",
		ar: "لقد ألغيت اشتراكك: لن تصلك أي رسالة بشأن هذا الاجتماع.",
		zh: "您已退订：我们不会再向您发送有关本次会议的邮件。",
		ru: "Вы отписались: письма об этом мероприятии вам не отправляются.",
		pt: "Você cancelou os e-mails: nenhuma mensagem sobre esta reunião será enviada.",
	},
	"page.resubscribe": {
		en: "Send me email about this meeting again", fr: "Recevoir à nouveau les courriels de cette réunion",
		es: "Volver a recibir correos sobre esta reunión", ar: "أعِد إرسال رسائل هذا الاجتماع إليّ",
		zh: "重新接收本次会议的邮件", ru: "Снова получать письма об этом мероприятии", pt: "Voltar a receber e-mails sobre esta reunião",
	},
	"page.save": {
		en: "Save changes", fr: "Enregistrer", es: "Guardar cambios", ar: "حفظ التغييرات", zh: "保存更改", ru: "Сохранить", pt: "Salvar alterações",
	},
	"page.unregister": {
		en: "Cancel my registration", fr: "Annuler mon inscription", es: "Anular mi inscripción", ar: "إلغاء تسجيلي",
		zh: "取消报名", ru: "Отменить регистрацию", pt: "Cancelar minha inscrição",
	},
	"page.unregister_lead": {
		en: "This deletes your registration and stops every email about this meeting.",
		fr: "Votre inscription sera supprimée et vous ne recevrez plus aucun courriel au sujet de cette réunion.",
		es: "Se eliminará su inscripción y dejará de recibir correos sobre esta reunión.",
		ar: "سيؤدي ذلك إلى حذف تسجيلك وإيقاف جميع الرسائل المتعلقة بهذا الاجتماع.",
		zh: "这将删除您的报名，并停止发送有关本次会议的所有邮件。",
		ru: "Регистрация будет удалена, и письма об этом мероприятии больше не придут.",
		pt: "Sua inscrição será excluída e nenhum e-mail sobre esta reunião será enviado.",
	},
	"page.unregistered": {
		en: "Your registration for %s is cancelled. You will receive no more email about it.",
		fr: "Votre inscription à %s est annulée. Vous ne recevrez plus de courriel à son sujet.",
		es: "Su inscripción en %s está anulada. No recibirá más correos al respecto.",
		ar: "أُلغي تسجيلك في %s. لن تصلك أي رسائل أخرى بشأنه.",
		zh: "您在%s的报名已取消。您将不再收到相关邮件。",
		ru: "Ваша регистрация на мероприятие «%s» отменена. Писем о нём больше не будет.",
		pt: "Sua inscrição em %s foi cancelada. Você não receberá mais e-mails sobre ela.",
	},
	"page.calendar": {
		en: "Add to your calendar", fr: "Ajouter à votre agenda", es: "Añadir a su calendario", ar: "إضافة إلى تقويمك",
		zh: "添加到日历", ru: "Добавить в календарь", pt: "Adicionar à sua agenda",
	},
	"page.feed": {
		en: "Subscribe to your calendar feed (all your sessions, kept up to date)",
		fr: "S’abonner à votre calendrier (toutes vos séances, tenues à jour)",
		es: "Suscribirse a su calendario (todas sus sesiones, siempre actualizadas)",
		ar: "الاشتراك في تقويمك (جميع جلساتك، محدّثة باستمرار)",
		zh: "订阅您的日历（包含您的所有场次，自动更新）",
		ru: "Подписаться на календарь (все ваши заседания, с обновлениями)",
		pt: "Assinar sua agenda (todas as suas sessões, sempre atualizadas)",
	},
	"page.ics": {
		en: "Download (.ics)", fr: "Télécharger (.ics)", es: "Descargar (.ics)", ar: "تنزيل (.ics)",
		zh: "下载（.ics）", ru: "Скачать (.ics)", pt: "Baixar (.ics)",
	},
	"page.google": {
		en: "Google Calendar", fr: "Google Agenda", es: "Google Calendar", ar: "تقويم Google",
		zh: "Google 日历", ru: "Google Календарь", pt: "Google Agenda",
	},
	"page.outlook": {en: "Outlook", fr: "Outlook", es: "Outlook", ar: "Outlook", zh: "Outlook", ru: "Outlook", pt: "Outlook"},

	// Unsubscribe.
	"page.unsub_title": {
		en: "Unsubscribe", fr: "Se désabonner", es: "Darse de baja", ar: "إلغاء الاشتراك", zh: "退订", ru: "Отписаться", pt: "Cancelar e-mails",
	},
	"page.unsub_lead": {
		en: "Stop all email about %s (reminders, changes and cancellations)?",
		fr: "Ne plus recevoir aucun courriel au sujet de %s (rappels, changements et annulations) ?",
		es: "¿Dejar de recibir correos sobre %s (recordatorios, cambios y cancelaciones)?",
		ar: "هل تريد إيقاف جميع الرسائل المتعلقة بـ%s (التذكيرات والتغييرات والإلغاءات)؟",
		zh: "是否停止接收有关%s的所有邮件（提醒、变更和取消通知）？",
		ru: "Больше не получать писем о мероприятии «%s» (напоминаний, изменений и отмен)?",
		pt: "Parar de receber todos os e-mails sobre %s (lembretes, alterações e cancelamentos)?",
	},
	"page.unsub_done": {
		en: "You will receive no more email about %s.", fr: "Vous ne recevrez plus de courriel au sujet de %s.",
		es: "No recibirá más correos sobre %s.", ar: "لن تصلك أي رسائل أخرى بشأن %s.",
		zh: "您将不再收到有关%s的邮件。", ru: "Писем о мероприятии «%s» больше не будет.", pt: "Você não receberá mais e-mails sobre %s.",
	},

	// Links that do not open.
	"page.link_invalid_title": {
		en: "This link does not work", fr: "Ce lien ne fonctionne pas", es: "Este enlace no funciona", ar: "هذا الرابط لا يعمل",
		zh: "此链接无效", ru: "Ссылка не работает", pt: "Este link não funciona",
	},
	"page.link_invalid": {
		en: "The link may be incomplete or altered. Open it again from your email, whole.",
		fr: "Le lien est peut-être incomplet ou altéré. Ouvrez-le à nouveau, en entier, depuis votre courriel.",
		es: "Es posible que el enlace esté incompleto o alterado. Vuelva a abrirlo completo desde su correo.",
		ar: "قد يكون الرابط ناقصًا أو معدّلًا. افتحه مجددًا كاملًا من رسالتك.",
		zh: "该链接可能不完整或已被改动。请从邮件中重新完整打开。",
		ru: "Возможно, ссылка неполная или изменена. Откройте её снова целиком из письма.",
		pt: "O link pode estar incompleto ou alterado. Abra-o novamente, inteiro, a partir do seu e-mail.",
	},
	"page.link_expired": {
		en: "This link has expired. Ask the secretariat for a new one.", fr: "Ce lien a expiré. Demandez-en un nouveau au secrétariat.",
		es: "Este enlace ha caducado. Solicite uno nuevo a la secretaría.", ar: "انتهت صلاحية هذا الرابط. اطلب رابطًا جديدًا من الأمانة.",
		zh: "此链接已过期。请向秘书处索取新链接。", ru: "Срок действия ссылки истёк. Запросите новую в секретариате.",
		pt: "Este link expirou. Peça um novo ao secretariado.",
	},
	"page.not_found_title": {
		en: "Page not found", fr: "Page introuvable", es: "Página no encontrada", ar: "الصفحة غير موجودة",
		zh: "未找到页面", ru: "Страница не найдена", pt: "Página não encontrada",
	},
	"page.not_found": {
		en: "This meeting or registration does not exist, or is not public.", fr: "Cette réunion ou inscription n’existe pas, ou n’est pas publique.",
		es: "Esta reunión o inscripción no existe o no es pública.", ar: "هذا الاجتماع أو التسجيل غير موجود، أو غير متاح للعموم.",
		zh: "该会议或报名不存在，或未公开。", ru: "Такого мероприятия или регистрации нет, или они не публичны.",
		pt: "Esta reunião ou inscrição não existe ou não é pública.",
	},
	"page.error_title": {
		en: "Something went wrong", fr: "Une erreur s’est produite", es: "Se ha producido un error", ar: "حدث خطأ ما",
		zh: "出现错误", ru: "Произошла ошибка", pt: "Ocorreu um erro",
	},
	"page.error": {
		en: "We could not complete your request. Please try again in a moment.", fr: "Votre demande n’a pas pu aboutir. Veuillez réessayer dans un instant.",
		es: "No pudimos completar su solicitud. Vuelva a intentarlo en un momento.", ar: "تعذّر إتمام طلبك. يُرجى المحاولة مجددًا بعد قليل.",
		zh: "无法完成您的请求，请稍后再试。", ru: "Не удалось выполнить запрос. Повторите попытку чуть позже.",
		pt: "Não foi possível concluir sua solicitação. Tente novamente em instantes.",
	},
	"page.rate_title": {
		en: "Too many requests", fr: "Trop de demandes", es: "Demasiadas solicitudes", ar: "طلبات كثيرة جدًا",
		zh: "请求过于频繁", ru: "Слишком много запросов", pt: "Solicitações demais",
	},
	"page.rate_limited": {
		en: "Too many pages were requested from your connection. Please wait a moment, then try again.",
		fr: "Trop de pages ont été demandées depuis votre connexion. Veuillez patienter un instant, puis réessayer.",
		es: "Se solicitaron demasiadas páginas desde su conexión. Espere un momento y vuelva a intentarlo.",
		ar: "طُلب عدد كبير جدًا من الصفحات من اتصالك. يُرجى الانتظار قليلًا ثم المحاولة مجددًا.",
		zh: "您的网络请求页面过于频繁，请稍候再试。",
		ru: "С вашего подключения запрошено слишком много страниц. Подождите немного и повторите попытку.",
		pt: "Foram solicitadas páginas demais a partir da sua conexão. Aguarde um momento e tente novamente.",
	},
}
