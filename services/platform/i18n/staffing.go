package i18n

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// staffingMessages are the sentences of the interpretation allocator and checker
// (scheduler/interp writes a code and its values; services/interpretation fills them in
// here). A template names its values in braces: {interpreter}, {booth} (a booth's code,
// "FR", as conference practice writes it in every language), {language} and {via} (a
// language's name in the reader's language), {languages}, {chosen} and {rules} (lists),
// {span} and {start}/{end} (UTC), numbers. Counts are given after a colon or as a figure
// beside a noun that does not change with it, so that no sentence depends on a plural
// form. Wording follows AIIC usage in each language: booth is cabine, cabina, مقصورة,
// 同传箱, кабина, cabine; relay is relais, relé, ترجمة تتابعية, 接力, релей, relé; retour is
// retour, retorno, الترجمة العكسية, 反向翻译, обратный перевод, retour.
var staffingMessages = map[string]map[language.Tag]string{
	// Violations of the checker: the code is the rule.
	"unknown_session": {
		en: "Session {session} is not in the plan’s input.",
		fr: "La séance {session} ne fait pas partie des données du plan.",
		es: "La sesión {session} no figura en los datos del plan.",
		ar: "الجلسة {session} غير مدرجة في بيانات الخطة.",
		zh: "场次 {session} 不在计划的输入数据中。",
		ru: "Заседание {session} отсутствует во входных данных плана.",
		pt: "A sessão {session} não consta dos dados do plano.",
	},
	"cancelled_session": {
		en: "Session {session} is cancelled: withdraw the assignment.",
		fr: "La séance {session} est annulée : retirez l’affectation.",
		es: "La sesión {session} está cancelada: retire la asignación.",
		ar: "أُلغيت الجلسة {session}: يُرجى سحب التكليف.",
		zh: "场次 {session} 已取消：请撤销该任务。",
		ru: "Заседание {session} отменено: отзовите назначение.",
		pt: "A sessão {session} foi cancelada: retire a designação.",
	},
	"unknown_interpreter": {
		en: "Interpreter {interpreter} is not in the pool.",
		fr: "L’interprète {interpreter} ne figure pas dans le vivier.",
		es: "El intérprete {interpreter} no figura en la bolsa de intérpretes.",
		ar: "المترجم الفوري {interpreter} غير مدرج في قائمة المترجمين.",
		zh: "口译员 {interpreter} 不在口译员库中。",
		ru: "Переводчика {interpreter} нет в списке переводчиков.",
		pt: "O intérprete {interpreter} não consta do cadastro de intérpretes.",
	},
	"staffed_by_others": {
		en: "The {booth} channel of session {session} is staffed by {staffed_by}: withdraw the assignment.",
		fr: "Le canal {booth} de la séance {session} est assuré par {staffed_by} : retirez l’affectation.",
		es: "El canal {booth} de la sesión {session} lo cubre {staffed_by}: retire la asignación.",
		ar: "تتولى {staffed_by} قناة {booth} في الجلسة {session}: يُرجى سحب التكليف.",
		zh: "场次 {session} 的 {booth} 频道由{staffed_by}负责：请撤销该任务。",
		ru: "Канал {booth} заседания {session} обслуживает {staffed_by}: отзовите назначение.",
		pt: "O canal {booth} da sessão {session} é assegurado por {staffed_by}: retire a designação.",
	},
	"unknown_booth": {
		en: "Session {session} needs no {booth} booth.",
		fr: "La séance {session} ne nécessite pas de cabine {booth}.",
		es: "La sesión {session} no necesita cabina {booth}.",
		ar: "لا تحتاج الجلسة {session} إلى مقصورة {booth}.",
		zh: "场次 {session} 不需要 {booth} 同传箱。",
		ru: "Для заседания {session} кабина {booth} не нужна.",
		pt: "A sessão {session} não precisa de cabine {booth}.",
	},
	"duplicate_assignment": {
		en: "{interpreter} is assigned twice to the {booth} booth.",
		fr: "{interpreter} est affecté(e) deux fois à la cabine {booth}.",
		es: "{interpreter} figura dos veces en la cabina {booth}.",
		ar: "كُلِّف {interpreter} مرتين بمقصورة {booth}.",
		zh: "{interpreter} 被重复分配到 {booth} 同传箱。",
		ru: "{interpreter} дважды назначен(а) в кабину {booth}.",
		pt: "{interpreter} foi designado(a) duas vezes para a cabine {booth}.",
	},
	"declined": {
		en: "{interpreter} declined the {booth} booth of session {session}.",
		fr: "{interpreter} a refusé la cabine {booth} de la séance {session}.",
		es: "{interpreter} rechazó la cabina {booth} de la sesión {session}.",
		ar: "رفض {interpreter} العمل في مقصورة {booth} في الجلسة {session}.",
		zh: "{interpreter} 已拒绝场次 {session} 的 {booth} 同传箱。",
		ru: "{interpreter} отказался(-ась) от работы в кабине {booth} на заседании {session}.",
		pt: "{interpreter} recusou a cabine {booth} da sessão {session}.",
	},
	"booth_language": {
		en: "{interpreter} cannot work into {booth}: it is neither their A language nor a B language they work into by retour (class: {class}).",
		fr: "{interpreter} ne peut pas travailler vers {booth} : ce n’est ni sa langue A ni une langue B pratiquée en retour (classe : {class}).",
		es: "{interpreter} no puede trabajar hacia {booth}: no es su lengua A ni una lengua B con la que haga retorno (clase: {class}).",
		ar: "لا يمكن لـ{interpreter} العمل إلى {booth}: فهي ليست لغته (أ) ولا لغة (ب) يعمل إليها بالترجمة العكسية (الفئة: {class}).",
		zh: "{interpreter} 无法译入 {booth}：它既不是其 A 语言，也不是其做反向翻译的 B 语言（类别：{class}）。",
		ru: "{interpreter} не может работать на {booth}: это не язык A и не язык B, на который выполняется обратный перевод (класс: {class}).",
		pt: "{interpreter} não pode trabalhar para {booth}: não é sua língua A nem uma língua B em que faça retour (classe: {class}).",
	},
	"team_size": {
		en: "The {booth} booth of session {session} has {have} interpreters; the {policy} policy requires {need}.",
		fr: "La cabine {booth} de la séance {session} compte {have} interprète(s) ; la politique {policy} en exige {need}.",
		es: "La cabina {booth} de la sesión {session} tiene {have} intérprete(s); la política {policy} exige {need}.",
		ar: "في مقصورة {booth} للجلسة {session} عدد المترجمين: {have}؛ وتشترط سياسة {policy}: {need}.",
		zh: "场次 {session} 的 {booth} 同传箱有 {have} 名口译员；{policy} 规则要求 {need} 名。",
		ru: "В кабине {booth} заседания {session} переводчиков: {have}; по правилам {policy} требуется: {need}.",
		pt: "A cabine {booth} da sessão {session} tem {have} intérprete(s); a política {policy} exige {need}.",
	},
	"no_relay_allowed": {
		en: "{interpreter} does not have the floor language {language}, and the policy allows no relay.",
		fr: "{interpreter} n’a pas la langue de l’orateur ({language}) et la politique n’autorise pas le relais.",
		es: "{interpreter} no domina la lengua del orador ({language}) y la política no permite el relé.",
		ar: "لا يتقن {interpreter} لغة المتحدث ({language})، ولا تسمح السياسة بالترجمة التتابعية.",
		zh: "{interpreter} 不掌握发言语言（{language}），而规则不允许接力。",
		ru: "{interpreter} не владеет языком выступления ({language}), а правила не допускают работу через релей.",
		pt: "{interpreter} não domina a língua do orador ({language}) e a política não permite relé.",
	},
	"other_pivot": {
		en: "{interpreter} would take {language} from a different pivot than the rest of the {booth} booth: a booth takes each floor language from one pivot.",
		fr: "{interpreter} prendrait une langue de l’orateur ({language}) sur un autre pivot que le reste de la cabine {booth} : une cabine prend chaque langue de l’orateur d’un seul pivot.",
		es: "{interpreter} tomaría una lengua del orador ({language}) de otro pivote que el resto de la cabina {booth}: cada cabina toma cada lengua del orador de un solo pivote.",
		ar: "سيأخذ {interpreter} اللغة ({language}) من مقصورة محورية غير التي تأخذ منها بقية مقصورة {booth}: تأخذ المقصورة كل لغة من لغات المتحدثين من مقصورة محورية واحدة.",
		zh: "{interpreter} 会从与 {booth} 同传箱其他成员不同的枢纽箱接力{language}：一个同传箱的每种发言语言只能从一个枢纽箱接力。",
		ru: "{interpreter} брал(а) бы {language} (язык выступления) с другой опорной кабины, чем остальные в кабине {booth}: каждый язык выступления кабина берёт с одной опорной кабины.",
		pt: "{interpreter} tomaria uma língua do orador ({language}) de outro pivô que o resto da cabine {booth}: cada cabine toma cada língua do orador de um só pivô.",
	},
	"relay_givers": {
		en: "{interpreter} lacks {language}, and the pivot booth has too few members who can give relay from it.",
		fr: "{interpreter} n’a pas la langue de l’orateur ({language}), et la cabine pivot ne compte pas assez de membres capables de donner le relais à partir de celle-ci.",
		es: "{interpreter} no domina la lengua del orador ({language}), y la cabina pivote no tiene suficientes miembros capaces de dar relé desde ella.",
		ar: "لا يتقن {interpreter} اللغة ({language})، وليس في المقصورة المحورية عدد كافٍ من الأعضاء القادرين على تقديم الترجمة التتابعية منها.",
		zh: "{interpreter} 不掌握{language}，而枢纽箱中能从该语言提供接力的成员不足。",
		ru: "{interpreter} не владеет языком ({language}), а в опорной кабине слишком мало переводчиков, способных дать с него релей.",
		pt: "{interpreter} não domina a língua do orador ({language}), e a cabine pivô não tem membros suficientes capazes de dar relé a partir dela.",
	},
	"relay_chain": {
		en: "{interpreter} lacks {language}, and no booth they understand has it first-hand: the relay would pass through two pivots.",
		fr: "{interpreter} n’a pas la langue de l’orateur ({language}), et aucune cabine dont il ou elle comprend la langue ne l’a en direct : le relais passerait par deux pivots.",
		es: "{interpreter} no domina la lengua del orador ({language}), y ninguna cabina cuya lengua entiende la tiene de primera mano: el relé pasaría por dos pivotes.",
		ar: "لا يتقن {interpreter} اللغة ({language})، ولا توجد مقصورة يفهم لغتها تتلقاها مباشرة: ستمر الترجمة التتابعية عبر مقصورتين محوريتين.",
		zh: "{interpreter} 不掌握{language}，而其听得懂的同传箱中没有一个直接掌握该语言：接力将经过两个枢纽箱。",
		ru: "{interpreter} не владеет языком ({language}), и ни одна понятная ему (ей) кабина не переводит с него напрямую: релей прошёл бы через две опорные кабины.",
		pt: "{interpreter} não domina a língua do orador ({language}), e nenhuma cabine cuja língua entende a tem em primeira mão: o relé passaria por dois pivôs.",
	},
	"language_coverage": {
		en: "{interpreter} lacks {language}, and no booth they understand can give it.",
		fr: "{interpreter} n’a pas la langue de l’orateur ({language}), et aucune cabine dont il ou elle comprend la langue ne peut la donner en relais.",
		es: "{interpreter} no domina la lengua del orador ({language}), y ninguna cabina cuya lengua entiende puede darla en relé.",
		ar: "لا يتقن {interpreter} اللغة ({language})، ولا توجد مقصورة يفهم لغتها قادرة على تقديمها.",
		zh: "{interpreter} 不掌握{language}，而其听得懂的同传箱中没有一个能提供该语言的接力。",
		ru: "{interpreter} не владеет языком ({language}), и ни одна понятная ему (ей) кабина не может дать с него релей.",
		pt: "{interpreter} não domina a língua do orador ({language}), e nenhuma cabine cuja língua entende pode dá-la em relé.",
	},
	"double_booking": {
		en: "{interpreter} is booked {start}–{end} and {other_start}–{other_end} (UTC).",
		fr: "{interpreter} est retenu(e) de {start} à {end} et de {other_start} à {other_end} (UTC).",
		es: "{interpreter} tiene reservas de {start} a {end} y de {other_start} a {other_end} (UTC).",
		ar: "{interpreter} محجوز من {start} إلى {end} ومن {other_start} إلى {other_end} (بالتوقيت العالمي المنسق).",
		zh: "{interpreter} 在 {start}–{end} 和 {other_start}–{other_end}（UTC）均有安排。",
		ru: "{interpreter} занят(а) с {start} до {end} и с {other_start} до {other_end} (UTC).",
		pt: "{interpreter} está reservado(a) de {start} a {end} e de {other_start} a {other_end} (UTC).",
	},
	"rest": {
		en: "{interpreter} has less than {minutes} minutes of rest between bookings.",
		fr: "{interpreter} dispose de moins de {minutes} minutes de repos entre deux engagements.",
		es: "{interpreter} tiene menos de {minutes} minutos de descanso entre dos compromisos.",
		ar: "فترة الراحة لدى {interpreter} بين حجزين أقل من {minutes} دقيقة.",
		zh: "{interpreter} 两次安排之间的休息时间不足 {minutes} 分钟。",
		ru: "Перерыв у {interpreter} между заданиями короче положенного (минут: {minutes}).",
		pt: "{interpreter} tem menos de {minutes} minutos de descanso entre dois compromissos.",
	},
	"sitting_cap": {
		en: "{interpreter} would work {minutes} booth minutes in one sitting; one team covers {cap}.",
		fr: "{interpreter} travaillerait {minutes} minutes en cabine au cours d’une même séance de travail ; une équipe en assure {cap}.",
		es: "{interpreter} trabajaría {minutes} minutos en cabina en un mismo turno; un equipo cubre {cap}.",
		ar: "سيعمل {interpreter} في المقصورة {minutes} دقيقة في فترة عمل واحدة؛ والفريق الواحد يغطي {cap} دقيقة.",
		zh: "{interpreter} 在同一工作时段内的同传箱工作时间将达 {minutes} 分钟；一个小组只负责 {cap} 分钟。",
		ru: "{interpreter} проработал(а) бы в кабине за одно заседание больше нормы: минут — {minutes}, одна бригада покрывает {cap}.",
		pt: "{interpreter} trabalharia {minutes} minutos em cabine num mesmo turno; uma equipe cobre {cap}.",
	},
	"daily_cap": {
		en: "{interpreter} would work {minutes} booth minutes on {day} (cap: {cap}).",
		fr: "{interpreter} travaillerait {minutes} minutes en cabine le {day} (plafond : {cap}).",
		es: "{interpreter} trabajaría {minutes} minutos en cabina el {day} (límite: {cap}).",
		ar: "سيعمل {interpreter} في المقصورة {minutes} دقيقة يوم {day} (الحد الأقصى: {cap}).",
		zh: "{interpreter} 在 {day} 的同传箱工作时间将达 {minutes} 分钟（上限：{cap}）。",
		ru: "{interpreter} проработал(а) бы в кабине {day} больше нормы: минут — {minutes} (предел: {cap}).",
		pt: "{interpreter} trabalharia {minutes} minutos em cabine em {day} (limite: {cap}).",
	},
	"sessions_per_day": {
		en: "{interpreter} would work {count} sittings on {day} (cap: {cap}).",
		fr: "{interpreter} assurerait {count} séances de travail le {day} (plafond : {cap}).",
		es: "{interpreter} trabajaría {count} turnos el {day} (límite: {cap}).",
		ar: "سيعمل {interpreter} عددًا من فترات العمل يوم {day}: {count} (الحد الأقصى: {cap}).",
		zh: "{interpreter} 在 {day} 将工作 {count} 个时段（上限：{cap}）。",
		ru: "{interpreter} работал(а) бы {day} больше нормы: заседаний — {count} (предел: {cap}).",
		pt: "{interpreter} trabalharia {count} turnos em {day} (limite: {cap}).",
	},
	"weekly_cap": {
		en: "{interpreter} would work {minutes} booth minutes in week {week} (cap: {cap}).",
		fr: "{interpreter} travaillerait {minutes} minutes en cabine pendant la semaine {week} (plafond : {cap}).",
		es: "{interpreter} trabajaría {minutes} minutos en cabina en la semana {week} (límite: {cap}).",
		ar: "سيعمل {interpreter} في المقصورة {minutes} دقيقة في الأسبوع {week} (الحد الأقصى: {cap}).",
		zh: "{interpreter} 在第 {week} 周的同传箱工作时间将达 {minutes} 分钟（上限：{cap}）。",
		ru: "{interpreter} проработал(а) бы в кабине за неделю {week} больше нормы: минут — {minutes} (предел: {cap}).",
		pt: "{interpreter} trabalharia {minutes} minutos em cabine na semana {week} (limite: {cap}).",
	},
	"unavailable": {
		en: "{interpreter} is unavailable {start}–{end} (UTC), as they declared.",
		fr: "{interpreter} s’est déclaré(e) indisponible du {start} au {end} (UTC).",
		es: "{interpreter} declaró no estar disponible del {start} al {end} (UTC).",
		ar: "أعلن {interpreter} عدم توفره من {start} إلى {end} (بالتوقيت العالمي المنسق).",
		zh: "{interpreter} 已声明在 {start}–{end}（UTC）无法工作。",
		ru: "{interpreter} сообщил(а), что недоступен(-на) с {start} до {end} (UTC).",
		pt: "{interpreter} declarou-se indisponível de {start} a {end} (UTC).",
	},
	"working_hours": {
		en: "{interpreter} works remotely from {zone}: {local} local time is outside their working hours ({hours}).",
		fr: "{interpreter} travaille à distance depuis {zone} : {local}, heure locale, est en dehors de ses heures de travail ({hours}).",
		es: "{interpreter} trabaja a distancia desde {zone}: las {local}, hora local, quedan fuera de su horario de trabajo ({hours}).",
		ar: "يعمل {interpreter} عن بُعد من {zone}: الوقت {local} بالتوقيت المحلي خارج ساعات عمله ({hours}).",
		zh: "{interpreter} 在 {zone} 远程工作：当地时间 {local} 不在其工作时间（{hours}）内。",
		ru: "{interpreter} работает удалённо ({zone}): {local} по местному времени — вне рабочих часов ({hours}).",
		pt: "{interpreter} trabalha a distância de {zone}: {local}, hora local, fica fora do seu horário de trabalho ({hours}).",
	},
	"route_inconsistent": {
		en: "The plan’s route of {language} into the {booth} booth does not hold (check: {check}).",
		fr: "L’acheminement de la langue de l’orateur ({language}) vers la cabine {booth} indiqué par le plan n’est pas valable (contrôle : {check}).",
		es: "La ruta del {language} hacia la cabina {booth} que indica el plan no es válida (control: {check}).",
		ar: "مسار اللغة ({language}) إلى مقصورة {booth} كما تذكره الخطة غير صحيح (التحقق: {check}).",
		zh: "计划所述{language}进入 {booth} 同传箱的路径不成立（检查项：{check}）。",
		ru: "Указанный в плане путь языка ({language}) в кабину {booth} не выдерживает проверки ({check}).",
		pt: "A rota do {language} para a cabine {booth} indicada pelo plano não é válida (verificação: {check}).",
	},

	// Notes of the allocator.
	"withdraw_cancelled": {
		en: "{interpreter} ({booth} booth of session {session}) should be withdrawn: the session is cancelled.",
		fr: "Il convient de retirer {interpreter} (cabine {booth} de la séance {session}) : la séance est annulée.",
		es: "Conviene retirar a {interpreter} (cabina {booth} de la sesión {session}): la sesión está cancelada.",
		ar: "ينبغي سحب تكليف {interpreter} (مقصورة {booth} في الجلسة {session}): أُلغيت الجلسة.",
		zh: "应撤销 {interpreter}（场次 {session} 的 {booth} 同传箱）的任务：该场次已取消。",
		ru: "Назначение {interpreter} (кабина {booth}, заседание {session}) следует отозвать: заседание отменено.",
		pt: "Convém retirar {interpreter} (cabine {booth} da sessão {session}): a sessão foi cancelada.",
	},
	"channel_staffed_by": {
		en: "The {booth} channel of session {session} is staffed by {staffed_by}: it is not staffed or costed here, and not used as a pivot.",
		fr: "Le canal {booth} de la séance {session} est assuré par {staffed_by} : il n’est ni pourvu ni chiffré ici, et ne sert pas de pivot.",
		es: "El canal {booth} de la sesión {session} lo cubre {staffed_by}: no se dota ni se presupuesta aquí, y no se usa como pivote.",
		ar: "تتولى {staffed_by} قناة {booth} في الجلسة {session}: لا يُوفَّر لها مترجمون ولا تُحتسب تكلفتها هنا، ولا تُستخدم مقصورةً محورية.",
		zh: "场次 {session} 的 {booth} 频道由{staffed_by}负责：此处不为其配备人员、不计费用，也不用作枢纽箱。",
		ru: "Канал {booth} заседания {session} обслуживает {staffed_by}: здесь он не укомплектовывается, не учитывается в расходах и не служит опорной кабиной.",
		pt: "O canal {booth} da sessão {session} é assegurado por {staffed_by}: não é provido nem orçado aqui, e não serve de pivô.",
	},
	"staffed_by.delegation": {
		en: "a delegation", fr: "une délégation", es: "una delegación", ar: "وفدٌ", zh: "代表团", ru: "делегация", pt: "uma delegação",
	},
	"staffed_by.partner": {
		en: "a partner", fr: "un partenaire", es: "un socio", ar: "جهةٌ شريكة", zh: "合作方", ru: "партнёр", pt: "um parceiro",
	},
	"passed_over": {
		en: "{interpreter} was not chosen for the {booth} booth of session {session}: {reason}. Chosen: {chosen}.",
		fr: "{interpreter} n’a pas été retenu(e) pour la cabine {booth} de la séance {session} : {reason}. Retenu(e)s : {chosen}.",
		es: "{interpreter} no fue elegido(a) para la cabina {booth} de la sesión {session}: {reason}. Elegidos: {chosen}.",
		ar: "لم يُختر {interpreter} لمقصورة {booth} في الجلسة {session}: {reason}. المختارون: {chosen}.",
		zh: "{interpreter} 未被选入场次 {session} 的 {booth} 同传箱：{reason}。入选者：{chosen}。",
		ru: "{interpreter} не выбран(а) в кабину {booth} на заседание {session}: {reason}. Выбраны: {chosen}.",
		pt: "{interpreter} não foi escolhido(a) para a cabine {booth} da sessão {session}: {reason}. Escolhidos: {chosen}.",
	},
	"passed_over.alone": {
		en: "{interpreter} was not chosen for the {booth} booth of session {session}: {reason}. Nobody else could take the seat.",
		fr: "{interpreter} n’a pas été retenu(e) pour la cabine {booth} de la séance {session} : {reason}. Personne d’autre ne pouvait occuper le poste.",
		es: "{interpreter} no fue elegido(a) para la cabina {booth} de la sesión {session}: {reason}. Nadie más podía ocupar el puesto.",
		ar: "لم يُختر {interpreter} لمقصورة {booth} في الجلسة {session}: {reason}. ولم يكن بوسع أحد غيره شغل المقعد.",
		zh: "{interpreter} 未被选入场次 {session} 的 {booth} 同传箱：{reason}。也无其他人可担任该席位。",
		ru: "{interpreter} не выбран(а) в кабину {booth} на заседание {session}: {reason}. Больше никто не мог занять это место.",
		pt: "{interpreter} não foi escolhido(a) para a cabine {booth} da sessão {session}: {reason}. Ninguém mais podia ocupar o lugar.",
	},
	"passed_over.remote": {
		en: "{interpreter} ({zone})", fr: "{interpreter} ({zone})", es: "{interpreter} ({zone})", ar: "{interpreter} ({zone})",
		zh: "{interpreter}（{zone}）", ru: "{interpreter} ({zone})", pt: "{interpreter} ({zone})",
	},
	"passed_over.more": {
		en: "Other seats for the same reason: {more}.",
		fr: "Autres postes pour la même raison : {more}.",
		es: "Otros puestos por el mismo motivo: {more}.",
		ar: "مقاعد أخرى للسبب نفسه: {more}.",
		zh: "因同一原因未入选的其他席位：{more}。",
		ru: "Других мест по той же причине: {more}.",
		pt: "Outros lugares pelo mesmo motivo: {more}.",
	},
	"reason.working_hours": {
		en: "{local} local time, outside working hours {hours}",
		fr: "{local}, heure locale, en dehors des heures de travail ({hours})",
		es: "{local}, hora local, fuera del horario de trabajo ({hours})",
		ar: "الوقت المحلي {local} خارج ساعات العمل ({hours})",
		zh: "当地时间 {local}，不在工作时间（{hours}）内",
		ru: "{local} по местному времени, вне рабочих часов ({hours})",
		pt: "{local}, hora local, fora do horário de trabalho ({hours})",
	},
	"reason.daily_cap": {
		en: "the daily cap: {minutes} booth minutes that day with this session, cap {cap}",
		fr: "le plafond journalier : {minutes} minutes en cabine ce jour-là avec cette séance, pour un plafond de {cap}",
		es: "el límite diario: {minutes} minutos en cabina ese día con esta sesión, con un límite de {cap}",
		ar: "الحد اليومي: {minutes} دقيقة في المقصورة ذلك اليوم مع هذه الجلسة، والحد الأقصى {cap}",
		zh: "每日上限：加上本场次当天同传箱工作 {minutes} 分钟，上限为 {cap}",
		ru: "дневная норма: с этим заседанием минут в кабине за день — {minutes}, предел — {cap}",
		pt: "o limite diário: {minutes} minutos em cabine nesse dia com esta sessão, para um limite de {cap}",
	},
	"reason.weekly_cap": {
		en: "the weekly cap: {minutes} booth minutes that week with this session, cap {cap}",
		fr: "le plafond hebdomadaire : {minutes} minutes en cabine cette semaine-là avec cette séance, pour un plafond de {cap}",
		es: "el límite semanal: {minutes} minutos en cabina esa semana con esta sesión, con un límite de {cap}",
		ar: "الحد الأسبوعي: {minutes} دقيقة في المقصورة ذلك الأسبوع مع هذه الجلسة، والحد الأقصى {cap}",
		zh: "每周上限：加上本场次当周同传箱工作 {minutes} 分钟，上限为 {cap}",
		ru: "недельная норма: с этим заседанием минут в кабине за неделю — {minutes}, предел — {cap}",
		pt: "o limite semanal: {minutes} minutos em cabine nessa semana com esta sessão, para um limite de {cap}",
	},
	"reason.sessions_per_day": {
		en: "already {count} sittings that day (cap: {cap})",
		fr: "déjà {count} séances de travail ce jour-là (plafond : {cap})",
		es: "ya tiene {count} turnos ese día (límite: {cap})",
		ar: "عدد فترات العمل في ذلك اليوم بلغ {count} (الحد الأقصى: {cap})",
		zh: "当天已有 {count} 个工作时段（上限：{cap}）",
		ru: "заседаний в этот день уже: {count} (предел: {cap})",
		pt: "já tem {count} turnos nesse dia (limite: {cap})",
	},
	"reason.sitting_cap": {
		en: "{minutes} booth minutes in this sitting with this session, more than one team covers ({cap}): a second team takes over",
		fr: "{minutes} minutes en cabine dans cette séance de travail avec cette séance, plus qu’une équipe n’en assure ({cap}) : une deuxième équipe prend le relais",
		es: "{minutes} minutos en cabina en este turno con esta sesión, más de lo que cubre un equipo ({cap}): lo releva un segundo equipo",
		ar: "{minutes} دقيقة في المقصورة في فترة العمل هذه مع هذه الجلسة، أكثر مما يغطيه فريق واحد ({cap}): يتولى فريق ثانٍ",
		zh: "加上本场次，本工作时段同传箱工作 {minutes} 分钟，超过一个小组的负责时长（{cap}）：由第二个小组接替",
		ru: "с этим заседанием минут в кабине за одно заседание — {minutes}, больше, чем покрывает одна бригада ({cap}): её сменяет вторая бригада",
		pt: "{minutes} minutos em cabine neste turno com esta sessão, mais do que uma equipe cobre ({cap}): uma segunda equipe assume",
	},
	"reason.rest": {
		en: "too little rest after or before another booking",
		fr: "repos insuffisant avant ou après un autre engagement",
		es: "descanso insuficiente antes o después de otro compromiso",
		ar: "فترة راحة غير كافية قبل حجز آخر أو بعده",
		zh: "与其他安排之间的休息时间不足",
		ru: "недостаточный перерыв до или после другого задания",
		pt: "descanso insuficiente antes ou depois de outro compromisso",
	},
	"reason.double_booking": {
		en: "booked elsewhere at the same time",
		fr: "retenu(e) ailleurs au même moment",
		es: "tiene otro compromiso a la misma hora",
		ar: "محجوز في مكان آخر في الوقت نفسه",
		zh: "同一时间另有安排",
		ru: "в это же время занят(а) в другом месте",
		pt: "tem outro compromisso no mesmo horário",
	},
	"reason.unavailable": {
		en: "declared unavailable",
		fr: "s’est déclaré(e) indisponible",
		es: "declaró no estar disponible",
		ar: "أعلن عدم توفره",
		zh: "已声明无法工作",
		ru: "сообщил(а) о своей недоступности",
		pt: "declarou-se indisponível",
	},

	// Gaps: a seat the allocator could not fill, and what would fill it.
	"gap_no_one_works_into": {
		en: "The {booth} booth of session {session} ({span}) has {have} of {need} interpreters: nobody in the pool works into {booth} (A, or B with retour).",
		fr: "La cabine {booth} de la séance {session} ({span}) compte {have} interprète(s) sur {need} : personne dans le vivier ne travaille vers {booth} (A, ou B en retour).",
		es: "La cabina {booth} de la sesión {session} ({span}) tiene {have} de {need} intérpretes: nadie en la bolsa trabaja hacia {booth} (A, o B con retorno).",
		ar: "في مقصورة {booth} للجلسة {session} ({span}) عدد المترجمين {have} من أصل {need}: لا أحد في القائمة يعمل إلى {booth} (لغة أ، أو لغة ب بالترجمة العكسية).",
		zh: "场次 {session}（{span}）的 {booth} 同传箱有 {have} 名口译员，需要 {need} 名：口译员库中无人译入 {booth}（A 语言，或做反向翻译的 B 语言）。",
		ru: "В кабине {booth} заседания {session} ({span}) переводчиков {have} из {need}: в списке нет никого, кто работает на {booth} (язык A или B с обратным переводом).",
		pt: "A cabine {booth} da sessão {session} ({span}) tem {have} de {need} intérpretes: ninguém no cadastro trabalha para {booth} (A, ou B com retour).",
	},
	"gap_pool_exhausted": {
		en: "The {booth} booth of session {session} ({span}) has {have} of {need} interpreters: every {booth} interpreter of the pool is already in it.",
		fr: "La cabine {booth} de la séance {session} ({span}) compte {have} interprète(s) sur {need} : tous les interprètes {booth} du vivier y sont déjà.",
		es: "La cabina {booth} de la sesión {session} ({span}) tiene {have} de {need} intérpretes: todos los intérpretes de {booth} de la bolsa ya están en ella.",
		ar: "في مقصورة {booth} للجلسة {session} ({span}) عدد المترجمين {have} من أصل {need}: جميع مترجمي {booth} في القائمة موجودون فيها بالفعل.",
		zh: "场次 {session}（{span}）的 {booth} 同传箱有 {have} 名口译员，需要 {need} 名：库中所有 {booth} 口译员均已在该箱内。",
		ru: "В кабине {booth} заседания {session} ({span}) переводчиков {have} из {need}: все переводчики {booth} из списка уже в ней.",
		pt: "A cabine {booth} da sessão {session} ({span}) tem {have} de {need} intérpretes: todos os intérpretes de {booth} do cadastro já estão nela.",
	},
	"gap_unfilled": {
		en: "The {booth} booth of session {session} ({span}) has {have} of {need} interpreters.",
		fr: "La cabine {booth} de la séance {session} ({span}) compte {have} interprète(s) sur {need}.",
		es: "La cabina {booth} de la sesión {session} ({span}) tiene {have} de {need} intérpretes.",
		ar: "في مقصورة {booth} للجلسة {session} ({span}) عدد المترجمين {have} من أصل {need}.",
		zh: "场次 {session}（{span}）的 {booth} 同传箱有 {have} 名口译员，需要 {need} 名。",
		ru: "В кабине {booth} заседания {session} ({span}) переводчиков {have} из {need}.",
		pt: "A cabine {booth} da sessão {session} ({span}) tem {have} de {need} intérpretes.",
	},
	"gap_closest_blocked": {
		en: "The {booth} booth of session {session} ({span}) has {have} of {need} interpreters: the closest candidate, {interpreter}, is blocked by: {rules}.",
		fr: "La cabine {booth} de la séance {session} ({span}) compte {have} interprète(s) sur {need} : le ou la candidat(e) le plus proche, {interpreter}, est bloqué(e) par : {rules}.",
		es: "La cabina {booth} de la sesión {session} ({span}) tiene {have} de {need} intérpretes: el candidato más cercano, {interpreter}, está bloqueado por: {rules}.",
		ar: "في مقصورة {booth} للجلسة {session} ({span}) عدد المترجمين {have} من أصل {need}: أقرب المرشحين، {interpreter}، تمنعه القواعد التالية: {rules}.",
		zh: "场次 {session}（{span}）的 {booth} 同传箱有 {have} 名口译员，需要 {need} 名：最接近的候选人 {interpreter} 受以下规则限制：{rules}。",
		ru: "В кабине {booth} заседания {session} ({span}) переводчиков {have} из {need}: ближайшему кандидату, {interpreter}, мешают правила: {rules}.",
		pt: "A cabine {booth} da sessão {session} ({span}) tem {have} de {need} intérpretes: o candidato mais próximo, {interpreter}, está bloqueado por: {rules}.",
	},
	"fix_more_interpreters": {
		en: "Interpreters to add: {count}, with {booth} as A language (or B with retour), working from {languages}, available {span}.",
		fr: "Interprètes à ajouter : {count}, de langue A {booth} (ou B en retour), travaillant à partir de : {languages}, disponibles {span}.",
		es: "Intérpretes que añadir: {count}, con {booth} como lengua A (o B con retorno), que trabajen desde: {languages}, disponibles {span}.",
		ar: "عدد المترجمين المطلوب إضافتهم: {count}، لغتهم (أ) {booth} (أو لغة ب بالترجمة العكسية)، يعملون من: {languages}، ومتاحون {span}.",
		zh: "需增加口译员：{count} 名，A 语言为 {booth}（或做反向翻译的 B 语言），从以下语言译出：{languages}，可工作时间 {span}。",
		ru: "Нужно добавить переводчиков: {count}, с языком A {booth} (или B с обратным переводом), работающих с языков: {languages}, свободных {span}.",
		pt: "Intérpretes a acrescentar: {count}, com {booth} como língua A (ou B com retour), que trabalhem a partir de: {languages}, disponíveis {span}.",
	},
	"hint.working_hours": {
		en: "Or: {interpreter} ({zone}) would serve at {local} local time, outside working hours {hours}.",
		fr: "Ou : {interpreter} ({zone}) travaillerait de {local}, heure locale, en dehors de ses heures de travail ({hours}).",
		es: "O bien: {interpreter} ({zone}) trabajaría de {local}, hora local, fuera de su horario de trabajo ({hours}).",
		ar: "أو: يمكن لـ{interpreter} ({zone}) العمل من {local} بالتوقيت المحلي، خارج ساعات عمله ({hours}).",
		zh: "或者：{interpreter}（{zone}）可在当地时间 {local} 工作，但不在其工作时间（{hours}）内。",
		ru: "Или: {interpreter} ({zone}) мог(ла) бы работать в {local} по местному времени, вне рабочих часов ({hours}).",
		pt: "Ou: {interpreter} ({zone}) trabalharia das {local}, hora local, fora do seu horário de trabalho ({hours}).",
	},
	"hint.daily_cap": {
		en: "Or: raise {interpreter}’s daily cap to {minutes} booth minutes.",
		fr: "Ou : relever le plafond journalier de {interpreter} à {minutes} minutes en cabine.",
		es: "O bien: elevar el límite diario de {interpreter} a {minutes} minutos en cabina.",
		ar: "أو: رفع الحد اليومي لـ{interpreter} إلى {minutes} دقيقة في المقصورة.",
		zh: "或者：将 {interpreter} 的每日上限提高到同传箱工作 {minutes} 分钟。",
		ru: "Или: поднять дневную норму {interpreter} до {minutes} мин в кабине.",
		pt: "Ou: elevar o limite diário de {interpreter} para {minutes} minutos em cabine.",
	},
	"hint.weekly_cap": {
		en: "Or: raise {interpreter}’s weekly cap to {minutes} booth minutes.",
		fr: "Ou : relever le plafond hebdomadaire de {interpreter} à {minutes} minutes en cabine.",
		es: "O bien: elevar el límite semanal de {interpreter} a {minutes} minutos en cabina.",
		ar: "أو: رفع الحد الأسبوعي لـ{interpreter} إلى {minutes} دقيقة في المقصورة.",
		zh: "或者：将 {interpreter} 的每周上限提高到同传箱工作 {minutes} 分钟。",
		ru: "Или: поднять недельную норму {interpreter} до {minutes} мин в кабине.",
		pt: "Ou: elevar o limite semanal de {interpreter} para {minutes} minutos em cabine.",
	},
	"hint.sessions_per_day": {
		en: "Or: allow {interpreter} {count} sittings that day.",
		fr: "Ou : autoriser {interpreter} à assurer {count} séances de travail ce jour-là.",
		es: "O bien: permitir a {interpreter} {count} turnos ese día.",
		ar: "أو: السماح لـ{interpreter} بعدد من فترات العمل في ذلك اليوم يبلغ {count}.",
		zh: "或者：允许 {interpreter} 当天工作 {count} 个时段。",
		ru: "Или: разрешить {interpreter} заседаний в этот день: {count}.",
		pt: "Ou: permitir a {interpreter} {count} turnos nesse dia.",
	},
	"hint.sitting_cap": {
		en: "Or: a second team for this part of the sitting, or {interpreter} for {minutes} booth minutes in one sitting.",
		fr: "Ou : une deuxième équipe pour cette partie de la séance de travail, ou {interpreter} pour {minutes} minutes en cabine d’affilée.",
		es: "O bien: un segundo equipo para esta parte del turno, o {interpreter} durante {minutes} minutos en cabina en un mismo turno.",
		ar: "أو: فريق ثانٍ لهذا الجزء من فترة العمل، أو عمل {interpreter} {minutes} دقيقة في المقصورة في فترة واحدة.",
		zh: "或者：为该时段的这一部分安排第二个小组，或让 {interpreter} 在一个时段内工作 {minutes} 分钟。",
		ru: "Или: вторая бригада на эту часть заседания, или {interpreter} на {minutes} мин в кабине за одно заседание.",
		pt: "Ou: uma segunda equipe para esta parte do turno, ou {interpreter} durante {minutes} minutos em cabine num mesmo turno.",
	},
	"hint.rest": {
		en: "Or: accept a shorter rest for {interpreter}.",
		fr: "Ou : accepter un repos plus court pour {interpreter}.",
		es: "O bien: aceptar un descanso más corto para {interpreter}.",
		ar: "أو: قبول فترة راحة أقصر لـ{interpreter}.",
		zh: "或者：接受 {interpreter} 较短的休息时间。",
		ru: "Или: согласиться на более короткий перерыв для {interpreter}.",
		pt: "Ou: aceitar um descanso mais curto para {interpreter}.",
	},
	"hint.double_booking": {
		en: "Or: free {interpreter} from the overlapping booking.",
		fr: "Ou : libérer {interpreter} de l’engagement qui chevauche celui-ci.",
		es: "O bien: liberar a {interpreter} del compromiso que se superpone.",
		ar: "أو: إعفاء {interpreter} من الحجز المتداخل.",
		zh: "或者：解除 {interpreter} 时间冲突的另一项安排。",
		ru: "Или: освободить {interpreter} от пересекающегося задания.",
		pt: "Ou: liberar {interpreter} do compromisso que se sobrepõe.",
	},
	"hint.unavailable": {
		en: "Or: ask {interpreter} to lift the declared unavailability.",
		fr: "Ou : demander à {interpreter} de lever l’indisponibilité déclarée.",
		es: "O bien: pedir a {interpreter} que levante la indisponibilidad declarada.",
		ar: "أو: مطالبة {interpreter} برفع عدم التوفر الذي أعلنه.",
		zh: "或者：请 {interpreter} 取消已声明的不可工作时段。",
		ru: "Или: попросить {interpreter} снять заявленную недоступность.",
		pt: "Ou: pedir a {interpreter} que retire a indisponibilidade declarada.",
	},
	"hint.declined": {
		en: "Or: ask {interpreter} again (they declined).",
		fr: "Ou : solliciter à nouveau {interpreter} (qui a refusé).",
		es: "O bien: volver a consultar a {interpreter} (que rechazó).",
		ar: "أو: سؤال {interpreter} مجددًا (فقد رفض).",
		zh: "或者：再次询问 {interpreter}（其已拒绝）。",
		ru: "Или: ещё раз обратиться к {interpreter} (был получен отказ).",
		pt: "Ou: consultar novamente {interpreter} (que recusou).",
	},
	"hint.language_coverage": {
		en: "Or: {interpreter} could take {languages} by relay from a booth whose language they understand, given two members there who have it first-hand.",
		fr: "Ou : {interpreter} pourrait prendre le relais ({languages}) sur une cabine dont il ou elle comprend la langue, si deux de ses membres l’ont en direct.",
		es: "O bien: {interpreter} podría tomar el relé ({languages}) de una cabina cuya lengua entiende, si dos de sus miembros la tienen de primera mano.",
		ar: "أو: يمكن لـ{interpreter} أخذ الترجمة التتابعية ({languages}) من مقصورة يفهم لغتها، إذا كان فيها عضوان يتقنانها مباشرة.",
		zh: "或者：若某个 {interpreter} 听得懂的同传箱中有两名成员直接掌握该语言，{interpreter} 可从该箱接力（{languages}）。",
		ru: "Или: {interpreter} мог(ла) бы работать через релей ({languages}) с понятной ему (ей) кабины, если там двое переводчиков владеют этим языком напрямую.",
		pt: "Ou: {interpreter} poderia tomar o relé ({languages}) de uma cabine cuja língua entende, se dois de seus membros a tiverem em primeira mão.",
	},

	// Which rule sized a booth's team.
	"team.team_sizes": {
		en: "The {policy} policy’s team size for {minutes} minutes: {need}.",
		fr: "Taille d’équipe prévue par la politique {policy} pour {minutes} minutes : {need}.",
		es: "Tamaño de equipo que fija la política {policy} para {minutes} minutos: {need}.",
		ar: "حجم الفريق وفق سياسة {policy} لمدة {minutes} دقيقة: {need}.",
		zh: "{policy} 规则对 {minutes} 分钟会议规定的小组人数：{need}。",
		ru: "Состав бригады по правилам {policy} на {minutes} мин: {need}.",
		pt: "Tamanho de equipe previsto pela política {policy} para {minutes} minutos: {need}.",
	},
	"team.session_blocks": {
		en: "{minutes} minutes is more than one team covers ({cap}): teams: {count}, interpreters: {need}.",
		fr: "{minutes} minutes, c’est plus qu’une équipe n’en assure ({cap}) : équipes : {count}, interprètes : {need}.",
		es: "{minutes} minutos superan lo que cubre un equipo ({cap}): equipos: {count}, intérpretes: {need}.",
		ar: "{minutes} دقيقة أكثر مما يغطيه فريق واحد ({cap}): عدد الفرق: {count}، عدد المترجمين: {need}.",
		zh: "{minutes} 分钟超过一个小组的负责时长（{cap}）：小组数：{count}，口译员数：{need}。",
		ru: "{minutes} мин — больше, чем покрывает одна бригада ({cap}): бригад — {count}, переводчиков — {need}.",
		pt: "{minutes} minutos é mais do que uma equipe cobre ({cap}): equipes: {count}, intérpretes: {need}.",
	},
	"team.three_booths": {
		en: "The {policy} policy staffs the {booth} booth with 3 per team: it works both ways and gives relay.",
		fr: "La politique {policy} prévoit 3 interprètes par équipe en cabine {booth} : elle travaille dans les deux sens et donne le relais.",
		es: "La política {policy} dota la cabina {booth} con 3 por equipo: trabaja en ambos sentidos y da relé.",
		ar: "تخصص سياسة {policy} ثلاثة مترجمين لكل فريق في مقصورة {booth}: فهي تعمل في الاتجاهين وتقدم الترجمة التتابعية.",
		zh: "{policy} 规则为 {booth} 同传箱每组配备 3 人：该箱双向工作并提供接力。",
		ru: "По правилам {policy} в кабине {booth} по 3 переводчика в бригаде: она работает в обе стороны и даёт релей.",
		pt: "A política {policy} prevê 3 por equipe na cabine {booth}: ela trabalha nos dois sentidos e dá relé.",
	},
	"team.retour_pivot_size": {
		en: "It gives relay of {language} into {via} by retour: a two-way booth that gives relay needs {need} (AIIC Professional Standards, art. 6).",
		fr: "Elle donne le relais en retour ({language} → {via}) : une cabine bidirectionnelle qui donne le relais en exige {need} (Normes professionnelles de l’AIIC, art. 6).",
		es: "Da relé en retorno ({language} → {via}): una cabina bidireccional que da relé necesita {need} (Normas profesionales de la AIIC, art. 6).",
		ar: "تقدم الترجمة التتابعية من {language} إلى {via} بالترجمة العكسية: والمقصورة ثنائية الاتجاه التي تقدم الترجمة التتابعية تحتاج إلى {need} (المعايير المهنية للرابطة الدولية للمترجمين الفوريين، المادة 6).",
		zh: "该箱以反向翻译将{language}接力为{via}：提供接力的双向同传箱需要 {need} 人（国际会议口译员协会《职业标准》第 6 条）。",
		ru: "Она даёт релей с языка {language} на язык {via} обратным переводом: двусторонней кабине, дающей релей, нужно переводчиков: {need} (Профессиональные стандарты AIIC, ст. 6).",
		pt: "Ela dá relé em retour ({language} → {via}): uma cabine bidirecional que dá relé precisa de {need} (Normas Profissionais da AIIC, art. 6).",
	},

	// The staffing board's decisions (the decision's kind is its code).
	"decision.to_offer": {
		en: "{interpreter} is proposed and has not been offered the seat.",
		fr: "{interpreter} est proposé(e), mais le poste ne lui a pas encore été offert.",
		es: "{interpreter} está propuesto(a), pero aún no se le ha ofrecido el puesto.",
		ar: "{interpreter} مرشَّح، ولم يُعرض عليه المقعد بعد.",
		zh: "{interpreter} 已被提名，但尚未向其发出该席位的邀请。",
		ru: "{interpreter}: кандидатура предложена, но место ещё не предложено.",
		pt: "{interpreter} foi proposto(a), mas o lugar ainda não lhe foi oferecido.",
	},
	"decision.deadline_soon": {
		en: "{interpreter} has not answered; the offer expires at {deadline}.",
		fr: "{interpreter} n’a pas répondu ; l’offre expire le {deadline}.",
		es: "{interpreter} no ha respondido; la oferta vence el {deadline}.",
		ar: "لم يردّ {interpreter} بعد؛ تنتهي صلاحية العرض في {deadline}.",
		zh: "{interpreter} 尚未答复；邀请将于 {deadline} 失效。",
		ru: "{interpreter} не ответил(а); срок предложения истекает {deadline}.",
		pt: "{interpreter} não respondeu; a oferta expira em {deadline}.",
	},
	"decision.open_seat.declined": {
		en: "The seat {interpreter} declined is open: no one is proposed in their place.",
		fr: "Le poste refusé par {interpreter} est vacant : personne n’est proposé à sa place.",
		es: "El puesto que rechazó {interpreter} está vacante: no se ha propuesto a nadie en su lugar.",
		ar: "المقعد الذي رفضه {interpreter} شاغر: لم يُرشَّح أحد مكانه.",
		zh: "{interpreter} 拒绝的席位空缺：尚未提名替代人选。",
		ru: "Место, от которого отказался(-ась) {interpreter}, свободно: замена не предложена.",
		pt: "O lugar recusado por {interpreter} está vago: ninguém foi proposto em seu lugar.",
	},
	"decision.open_seat.expired": {
		en: "The seat {interpreter} did not answer for is open: no one is proposed in their place.",
		fr: "Le poste offert à {interpreter}, resté sans réponse, est vacant : personne n’est proposé à sa place.",
		es: "El puesto ofrecido a {interpreter}, que quedó sin respuesta, está vacante: no se ha propuesto a nadie en su lugar.",
		ar: "المقعد الذي عُرض على {interpreter} ولم يردّ عليه شاغر: لم يُرشَّح أحد مكانه.",
		zh: "向 {interpreter} 发出的席位邀请未获答复，该席位空缺：尚未提名替代人选。",
		ru: "Место, предложенное {interpreter} и оставшееся без ответа, свободно: замена не предложена.",
		pt: "O lugar oferecido a {interpreter}, que ficou sem resposta, está vago: ninguém foi proposto em seu lugar.",
	},

	// Rule names, for a list of the rules that block a candidate.
	"rule.booth_language": {
		en: "booth language", fr: "langue de cabine", es: "lengua de la cabina", ar: "لغة المقصورة", zh: "同传箱语言", ru: "язык кабины", pt: "língua da cabine",
	},
	"rule.language_coverage": {
		en: "floor language not covered", fr: "langue de l’orateur non couverte", es: "lengua del orador no cubierta", ar: "لغة المتحدث غير مغطاة",
		zh: "发言语言未覆盖", ru: "язык выступления не покрыт", pt: "língua do orador não coberta",
	},
	"rule.relay_givers": {
		en: "too few relay givers", fr: "trop peu d’interprètes pour donner le relais", es: "pocos intérpretes para dar relé", ar: "عدد غير كافٍ لتقديم الترجمة التتابعية",
		zh: "提供接力的人数不足", ru: "мало переводчиков для релея", pt: "poucos intérpretes para dar relé",
	},
	"rule.relay_chain": {
		en: "chained relay", fr: "relais en chaîne", es: "relé encadenado", ar: "ترجمة تتابعية متسلسلة", zh: "连环接力", ru: "двойной релей", pt: "relé encadeado",
	},
	"rule.team_size": {
		en: "team size", fr: "taille de l’équipe", es: "tamaño del equipo", ar: "حجم الفريق", zh: "小组人数", ru: "состав бригады", pt: "tamanho da equipe",
	},
	"rule.double_booking": {
		en: "double booking", fr: "double engagement", es: "doble reserva", ar: "حجز مزدوج", zh: "时间冲突", ru: "двойное назначение", pt: "dupla reserva",
	},
	"rule.rest": {en: "rest", fr: "repos", es: "descanso", ar: "الراحة", zh: "休息时间", ru: "перерыв", pt: "descanso"},
	"rule.daily_cap": {
		en: "daily cap", fr: "plafond journalier", es: "límite diario", ar: "الحد اليومي", zh: "每日上限", ru: "дневная норма", pt: "limite diário",
	},
	"rule.weekly_cap": {
		en: "weekly cap", fr: "plafond hebdomadaire", es: "límite semanal", ar: "الحد الأسبوعي", zh: "每周上限", ru: "недельная норма", pt: "limite semanal",
	},
	"rule.sessions_per_day": {
		en: "sittings per day", fr: "séances de travail par jour", es: "turnos por día", ar: "فترات العمل في اليوم", zh: "每日时段数", ru: "заседаний в день", pt: "turnos por dia",
	},
	"rule.sitting_cap": {
		en: "booth time in one sitting", fr: "temps en cabine par séance de travail", es: "tiempo en cabina por turno", ar: "مدة العمل في المقصورة في فترة واحدة",
		zh: "单个时段的同传箱工作时长", ru: "время в кабине за заседание", pt: "tempo em cabine por turno",
	},
	"rule.unavailable": {
		en: "declared unavailability", fr: "indisponibilité déclarée", es: "indisponibilidad declarada", ar: "عدم التوفر المُعلن",
		zh: "已声明不可工作", ru: "заявленная недоступность", pt: "indisponibilidade declarada",
	},
	"rule.working_hours": {
		en: "working hours", fr: "heures de travail", es: "horario de trabajo", ar: "ساعات العمل", zh: "工作时间", ru: "рабочие часы", pt: "horário de trabalho",
	},
	"rule.route": {
		en: "language route", fr: "acheminement des langues", es: "ruta de las lenguas", ar: "مسار اللغة", zh: "语言路径", ru: "путь языка", pt: "rota das línguas",
	},
	"rule.cancelled_session": {
		en: "cancelled session", fr: "séance annulée", es: "sesión cancelada", ar: "جلسة ملغاة", zh: "场次已取消", ru: "заседание отменено", pt: "sessão cancelada",
	},
	"rule.unknown_session": {
		en: "unknown session", fr: "séance inconnue", es: "sesión desconocida", ar: "جلسة غير معروفة", zh: "未知场次", ru: "неизвестное заседание", pt: "sessão desconhecida",
	},
	"rule.unknown_booth": {
		en: "booth not needed", fr: "cabine non requise", es: "cabina no necesaria", ar: "مقصورة غير مطلوبة", zh: "无需该同传箱", ru: "кабина не нужна", pt: "cabine não necessária",
	},
	"rule.unknown_interpreter": {
		en: "interpreter not in the pool", fr: "interprète absent du vivier", es: "intérprete fuera de la bolsa", ar: "مترجم غير مدرج في القائمة",
		zh: "口译员不在库中", ru: "переводчика нет в списке", pt: "intérprete fora do cadastro",
	},
	"rule.duplicate_assignment": {
		en: "assigned twice", fr: "affectation en double", es: "asignación duplicada", ar: "تكليف مكرر", zh: "重复分配", ru: "двойное назначение в кабину", pt: "designação duplicada",
	},
	"rule.staffed_by_others": {
		en: "channel staffed by others", fr: "canal assuré par d’autres", es: "canal cubierto por otros", ar: "قناة يتولاها غيرنا",
		zh: "频道由他方负责", ru: "канал обслуживают другие", pt: "canal assegurado por outros",
	},
	"rule.declined": {en: "declined", fr: "refus", es: "rechazo", ar: "الرفض", zh: "已拒绝", ru: "отказ", pt: "recusa"},
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// StaffingKeys lists the keys of the staffing messages, sorted.
func StaffingKeys() []string {
	out := make([]string, 0, len(staffingMessages))
	for k := range staffingMessages {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// HasStaffing reports whether key is a staffing message written in tag.
func HasStaffing(tag language.Tag, key string) bool {
	_, ok := staffingMessages[key][tag]
	return ok
}

// Placeholders lists the {names} a staffing template uses, sorted and without repeats.
func Placeholders(tag language.Tag, key string) []string {
	out := placeholder.FindAllString(staffingMessages[key][tag], -1)
	slices.Sort(out)
	return slices.Compact(out)
}

// Staffing writes staffing message key in tag (English when tag lacks it; "" for an
// unknown key) with each {name} replaced by vals[name].
func Staffing(tag language.Tag, key string, vals map[string]string) string {
	t, ok := staffingMessages[key][tag]
	if !ok {
		t = staffingMessages[key][en]
	}
	return placeholder.ReplaceAllStringFunc(t, func(p string) string {
		return vals[strings.Trim(p, "{}")]
	})
}

// ListSeparator joins the items of a list in tag: "、" in Chinese, "، " in Arabic, ", "
// elsewhere.
func ListSeparator(tag language.Tag) string {
	switch tag {
	case zh:
		return "、"
	case ar:
		return "، "
	}
	return ", "
}
