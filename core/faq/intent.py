"""What a question asks, beside its words: its intent and the periods it names.

Words alone rank "How much does entering the national phase cost?" near the 31-month time limit
(both speak of the national phase); the question asks for an amount. So a question is read for

* intents — `cost` (how much, price, сколько стоит, колькі каштуе…), `time` (when, deadline,
  how long, срок, калі…), `late` (missed, late, passed, restore, пропустили, спазніліся…) and
  `elsewhere` (in another country: "in Russia", "в Казахстане", "у Германіі" — the FAQ
  answers for Belarus);
* periods — "31 months", "31-month", "12 месяцев", "тры гады": a number with its unit, as
  months (a year is 12 of them).

Each FAQ topic says which intents its answer answers and which periods it is about
(`topics.toml`); `FaqBase` raises the topics that answer what the question asks and lowers
the others (`core/faq/base.py`). Everything here is a table of patterns over normalised text
(`core.faq.text.normalise`), so an answer can always say why it was chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Intent = Literal["cost", "time", "late", "elsewhere"]
INTENTS: Final[tuple[Intent, ...]] = ("cost", "time", "late", "elsewhere")

# Patterns over normalised text (lower case, ё→е, punctuation gone), all languages at once:
# a question may mix them. \b does not see Cyrillic word edges in every engine, so the
# patterns use (?<!\w) and (?!\w).
_B = r"(?<!\w)"
_E = r"(?!\w)"

COUNTRIES_EN: Final = (
    "russia|china|kazakhstan|uzbekistan|kyrgyzstan|armenia|ukraine|poland|lithuania|latvia|"
    "germany|france|italy|spain|the uk|britain|england|japan|korea|india|turkey|the us|"
    "the usa|the united states|america|europe|the eu|georgia|azerbaijan|moldova|tajikistan|"
    "turkmenistan"
)
COUNTRIES_RU: Final = (
    "росси[июя]|рф|китае|казахстане|узбекистане|киргизии|кыргызстане|армении|украине|"
    "польше|литве|латвии|германии|франции|италии|испании|великобритании|англии|японии|"
    "корее|индии|турции|сша|америке|европе|ес|грузии|азербайджане|молдове|таджикистане|"
    "туркменистане"
)
COUNTRIES_BE: Final = (
    "расіі|рф|кітаі|казахстане|узбекістане|кіргізіі|кыргызстане|арменіі|украіне|польшчы|"
    "літве|латвіі|германіі|нямеччыне|францыі|італіі|іспаніі|вялікабрытаніі|англіі|японіі|"
    "карэі|індыі|турцыі|зша|амерыцы|еўропе|еўрасаюзе|грузіі|азербайджане|малдове|"
    "таджыкістане|туркменістане"
)

# Foreign countries in any case (en; ru; be), for "elsewhere".
FOREIGN: Final = (
    "russian federation|russia|china|kazakhstan|uzbekistan|kyrgyzstan|armenia|ukraine|poland|"
    "lithuania|latvia|germany|france|italy|spain|britain|england|japan|korea|india|turkey|usa|"
    "united states|"
    "america|georgia|azerbaijan|moldova|tajikistan|turkmenistan|"
    "российск(ая|ой|ую) федераци(я|и|ю|ей)|росси(я|и|ю|ей)|кита(й|я|е|ю|ем)|"
    "казахстан(а|е|у|ом)?|узбекистан(а|е|у|ом)?|"
    "киргизи(я|и|ю|ей)|кыргызстан(а|е|у|ом)?|армени(я|и|ю|ей)|украин(а|ы|е|у|ой)|"
    "польш(а|и|е|у|ей)|литв(а|ы|е|у|ой)|латви(я|и|ю|ей)|германи(я|и|ю|ей)|франци(я|и|ю|ей)|"
    "итали(я|и|ю|ей)|испани(я|и|ю|ей)|великобритани(я|и|ю|ей)|англи(я|и|ю|ей)|"
    "япони(я|и|ю|ей)|коре(я|и|ю|ей)|инди(я|и|ю|ей)|турци(я|и|ю|ей)|сша|америк(а|и|е|у|ой)|"
    "европ(а|ы|е|у|ой)|грузи(я|и|ю|ей)|азербайджан(а|е|у|ом)?|молдов(а|ы|е|у|ой)|"
    "таджикистан(а|е|у|ом)?|туркменистан(а|е|у|ом)?|"
    "расійск(ая|ай|ую) федэрацы(я|і|ю|яй)|расі(я|і|ю|яй)|кіта(й|я|і|ю|ем)|"
    "узбекістан(а|е|у|ам)?|кіргізі(я|і|ю|яй)|"
    "армені(я|і|ю|яй)|украін(а|ы|е|у|ай)|польшч(а|ы|у|ай)|літв(а|ы|е|у|ой)|латві(я|і|ю|яй)|"
    "германі(я|і|ю|яй)|нямеччын(а|ы|е|у|ай)|францы(я|і|ю|яй)|італі(я|і|ю|яй)|"
    "іспані(я|і|ю|яй)|японі(я|і|ю|яй)|карэ(я|і|ю|яй)|індыі|індыя|турцы(я|і|ю|яй)|зша|"
    "амерык(а|і|у|ай)|амерыцы|еўроп(а|ы|е|у|ай)|грузі(я|і|ю|яй)|малдов(а|ы|е|у|ай)|"
    "таджыкістан(а|е|у|ам)?|туркменістан(а|е|у|ам)?"
)

_PATTERNS: Final[dict[Intent, tuple[str, ...]]] = {
    "cost": (
        # en
        rf"{_B}how much{_E}(?! (time|longer|later|months?|years?|days?|weeks?){_E})",
        rf"{_B}costs?{_E}",
        rf"{_B}costing{_E}",
        rf"{_B}prices?{_E}",
        rf"{_B}expensive{_E}",
        rf"{_B}cheap(er|est)?{_E}",
        rf"{_B}amounts?{_E}",
        rf"{_B}byn{_E}",
        rf"{_B}what do (we|i) pay{_E}",
        rf"{_B}(what|which) fees{_E}",
        # ru
        rf"{_B}сколь?ко (стоит|стоят|стоить|будет стоить|платить|заплатить|денег){_E}",
        rf"{_B}скока стоит{_E}",
        rf"{_B}во сколько обойд",
        rf"{_B}обойдет",
        rf"{_B}стоимост",
        rf"{_B}цен(а|ы|у|е){_E}",
        rf"{_B}расценк",
        rf"{_B}дорог",
        rf"{_B}дешев",
        rf"{_B}размер пошлин",
        rf"{_B}какие (гос)?пошлины{_E}",
        rf"{_B}сумм(а|ы|у){_E}",
        # be
        rf"{_B}коль?кі (каштуе|каштуюць|каштаваць|плаціць|заплаціць|грошай){_E}",
        rf"{_B}у колькі абыдзе",
        rf"{_B}абыдзецца{_E}",
        rf"{_B}кошт(у|ам|ы)?{_E}",
        rf"{_B}цан(а|ы|у){_E}",
        rf"{_B}дарог",
        rf"{_B}танн",
        rf"{_B}танней{_E}",
        rf"{_B}памер пошлін",
        rf"{_B}якія (дзярж)?пошліны{_E}",
        rf"{_B}сум(а|ы|у){_E}",
    ),
    "time": (
        # en
        rf"{_B}when{_E}",
        rf"{_B}deadlines?{_E}",
        rf"{_B}time limits?{_E}",
        rf"{_B}how long{_E}",
        rf"{_B}how much time{_E}",
        rf"{_B}how many (months|years|days|weeks){_E}",
        rf"{_B}until{_E}",
        rf"{_B}by when{_E}",
        rf"{_B}by what date{_E}",
        rf"{_B}last (day|date){_E}",
        rf"{_B}due{_E}",
        rf"{_B}within{_E}",
        rf"{_B}latest{_E}",
        rf"{_B}how late{_E}",
        # ru
        rf"{_B}когда{_E}",
        rf"{_B}срок(а|и|у|ом|ов|ам)?{_E}",
        rf"{_B}до (какого|какой|каких|когда){_E}",
        rf"{_B}сколь?ко (месяцев|лет|дней|недель|времени){_E}",
        rf"{_B}(последний|крайний) (день|срок){_E}",
        rf"{_B}в течение{_E}",
        rf"{_B}не позднее{_E}",
        # be
        rf"{_B}калі{_E}(?! ласка{_E})",
        rf"{_B}тэрмін(у|ы|ам|аў|е)?{_E}",
        rf"{_B}да (якога|якой|якіх){_E}",
        rf"{_B}коль?кі (месяцаў|гадоў|дзён|тыдняў|часу){_E}",
        rf"{_B}(апошні|крайні) (дзень|тэрмін){_E}",
        rf"{_B}на працягу{_E}",
        rf"{_B}не пазней{_E}",
    ),
    "late": (
        # en
        rf"{_B}miss(ed|ing)?{_E}",
        rf"(?<!how ){_B}late{_E}",
        rf"{_B}too late{_E}",
        rf"{_B}overdue{_E}",
        rf"{_B}(passed|expired|lapsed|ceased){_E}",
        rf"{_B}past the{_E}",
        rf"{_B}forg(o|e)t",
        rf"{_B}restor",
        rf"{_B}reinstat",
        rf"{_B}reviv",
        rf"{_B}get back{_E}",
        rf"{_B}bring back{_E}",
        rf"{_B}(be )?saved{_E}",
        rf"{_B}(not|didnt|failed to|couldnt)(?: \w+){{0,6}} (in|on) time{_E}",
        # ru
        rf"{_B}пропус",
        rf"{_B}пропущ",
        rf"{_B}опозд",
        rf"{_B}просроч",
        rf"{_B}истек",
        rf"{_B}прош(ел|ла|ло|ли){_E}",
        rf"{_B}забыл",
        rf"{_B}восстан",
        rf"{_B}вернуть{_E}",
        rf"{_B}спасти{_E}",
        rf"{_B}прекрати",
        rf"{_B}позже срока{_E}",
        rf"{_B}не успел",
        # be
        rf"{_B}прапус",
        rf"{_B}прапушч",
        rf"{_B}спазн",
        rf"{_B}пратэрмін",
        rf"{_B}мінуў{_E}",
        rf"{_B}мінула{_E}",
        rf"{_B}скончыўся{_E}",
        rf"{_B}забыл",
        rf"{_B}забыў",
        rf"{_B}аднав",
        rf"{_B}аднаўл",
        rf"{_B}вярнуць{_E}",
        rf"{_B}выратаваць{_E}",
        rf"{_B}спыні",
        rf"{_B}не паспел",
    ),
    # a procedure in another country ("in Russia"; not "from Russia", "Russian roubles")
    "elsewhere": (
        rf"{_B}in ({COUNTRIES_EN}){_E}",
        rf"{_B}(us|usa|american|russian|chinese|kazakh|german|european|eurasian|ukrainian|uzbek)"
        rf" (patents?|applications?|utility models?){_E}",
        rf"{_B}(американск|российск|китайск|казахстанск|немецк|европейск|евразийск|украинск|"
        rf"узбекск)\w* (патент|заявк|полезн)",
        rf"{_B}(амерыканск|расійск|кітайск|казахстанск|нямецк|еўрапейск|еўразійск|украінск|"
        rf"узбекск)\w* (патэнт|заяўк|карысн)",
        rf"{_B}(в|во) ({COUNTRIES_RU}){_E}",
        rf"{_B}(у|ў) ({COUNTRIES_BE}){_E}",
    ),
}

# Kinds of questions the seeds never answer, though they are made of the FAQ's own words (a
# bag of words reads "how long does examination take" as the examination request, "open a
# bank account" as paying the fees): what the question asks → the out-of-scope kind
# (`outside` in topics.toml) it is. A question that asks one of these gets no answer.
UNANSWERED: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    # how long a procedure takes (the seeds give time limits, never durations)
    "duration": (
        "patent_practice",
        (
            rf"{_B}how long(?: \w+){{0,7}} (take|takes|taking|last for){_E}",
            rf"{_B}how long (until|till|before|to wait|do (we|i) wait|will (we|i) wait){_E}",
            rf"{_B}how long (is|does|will) (the )?(examination|prosecution|procedure|processing"
            rf"|grant|granting|review)(?! fee){_E}",
            rf"{_B}(typical|average|usual|normal) (duration|pendency|processing time"
            rf"|time to grant)",
            rf"{_B}pendency{_E}",
            rf"{_B}when (will|would|do|does) (we|i|the \w+|my \w+|our \w+)(?: \w+){{0,3}}"
            rf" (get|receive|hear|be granted|be published|be examined){_E}",
            rf"{_B}сколь?ко (длится|длятся|идет|идут|занимает|занимают|ждать|рассматрива)",
            rf"{_B}сколь?ко (времени|месяцев|лет) (занимает|длится|идет|уходит|ждать|рассматрива"
            rf"|будут рассматр|будет идти)",
            rf"{_B}сколь?ко времени (регистрир|рассматрива|оформля|выда|готов|провод|делают"
            rf"|делает)",
            rf"{_B}когда (мы |я )?(получим|получу|получат)(?: \w+){{0,2}} (патент|решение"
            rf"|свидетельств|сертификат)",
            rf"{_B}как долго(?: \w+){{0,2}} (длится|идет|рассматрива|ждать|выда|будет|проходит"
            rf"|делается)",
            rf"{_B}через сколь?ко (выдад|дадут|получ|прид|будет|рассмотр|опублик)",
            rf"{_B}(средний|обычный|реальный) срок (рассмотрения|экспертизы|выдачи|получения)",
            rf"{_B}когда (придет|прийдет|будет|получим|получу|выдадут|опубликуют)(?: \w+){{0,2}}"
            rf" (запрос|решение|патент|заявк|публикац)",
            rf"{_B}коль?кі (доужыцца|доужацца|доўжыцца|ідзе|займае|чакаць|разглядаецца)",
            rf"{_B}коль?кі (часу|месяцаў|гадоў) (займае|доўжыцца|ідзе|чакаць|будуць разглядаць)",
            rf"{_B}як доўга(?: \w+){{0,2}} (доўжыцца|ідзе|разгляда|чакаць|выда|будзе"
            rf"|праходзіць)",
            rf"{_B}коль?кі часу (рэгістру|разгляда|афармля|выда|рыхту|право|робяць|робіць)",
            rf"{_B}калі (мы |я )?(атрымаем|атрымаю|атрымаюць)(?: \w+){{0,2}} (патэнт|рашэнне"
            rf"|пасведчанне|сертыфікат)",
            rf"{_B}праз коль?кі (выдад|дадуць|атрыма|прыйдз|будзе|разгляд|апублік)",
            rf"{_B}калі (прыйдзе|будзе|атрымаем|выдадуць|апублікуюць)(?: \w+){{0,2}}"
            rf" (запыт|рашэнне|патэнт|заяўк|публікац)",
        ),
    ),
    # how to become a patent attorney
    "become_attorney": (
        "patent_practice",
        (
            rf"{_B}become (a |an )?(registered |licensed |certified )?(patent )?(attorney|agent"
            rf"|lawyer|representative)",
            rf"{_B}(qualification|qualifying|bar|certification) exam",
            rf"{_B}(train|study|studying|training) (as|to be|to become) (a )?patent",
            rf"{_B}стать (патентным )?(поверенн|патентовед)",
            rf"{_B}квалификационн\w* экзамен",
            rf"{_B}аттестац\w* (патентн|поверенн)",
            rf"{_B}(учиться|обучение|выучиться|отучиться) на (патентовед|патентного|поверенн)",
            rf"{_B}стаць (патэнтным )?(паверан|патэнтавед)",
            rf"{_B}кваліфікацыйн\w* экзамен",
            rf"{_B}атэстацы\w* (патэнтн|паверан)",
            rf"{_B}(вучыцца|навучанне|вывучыцца) на (патэнтавед|патэнтнага|паверан)",
        ),
    ),
    # which attorney or firm to choose, and what they charge for their work
    "attorney_advice": (
        "patent_practice",
        (
            rf"{_B}(can|could) you recommend{_E}",
            rf"{_B}recommend (a|an|me|us|some|any|good|reliable)( |$)",
            rf"{_B}(good|best|reliable|cheap|cheapest|experienced|trusted) (local )?(patent )?"
            rf"(attorney|agent|lawyer|firm|law firm|representative)s?{_E}",
            rf"{_B}(attorney|attorneys|lawyer|lawyers|agent|agents|firm|firms)s? (fees|charges"
            rf"|rates|prices|services)",
            rf"{_B}(attorneys|lawyers|agents|firms) (charge|bill|ask){_E}",
            rf"{_B}hourly rates?{_E}",
            rf"{_B}per hour{_E}",
            rf"{_B}(what|how much) do you (charge|take|ask){_E}",
            rf"{_B}your (fees|prices|rates|services){_E}",
            rf"{_B}(посоветуй|порекомендуй|посоветует|порекомендует)",
            rf"{_B}(хорош|лучш|надежн|опытн|толков|недорог|проверенн)\w* (патентн\w* )?"
            rf"(поверенн|юрист|фирм|бюро|агентств|юрфирм)",
            rf"{_B}(услуг|работ|час работы|гонорар)\w* (патентн\w* )?(поверенн|юрист)",
            rf"{_B}(поверенн|юрист)\w* (берут|берет|просят|беру)",
            rf"{_B}сколь?ко (вы )?(берете|возьмете|стоят ваши услуги){_E}",
            rf"{_B}(ваши|ваших) (услуг|расценк|тариф)",
            rf"{_B}сколь?ко (берут|берет|просят|возьмут|стоят услуги) (\w+ )?(поверенн|юрист)",
            rf"{_B}(параі|парай|парэкамендуй|парэкамендуе)",
            rf"{_B}(добр|лепш|надзейн|вопытн|недарагі|правераны)\w* (патэнтн\w* )?"
            rf"(паверан|юрыст|фірм|бюро|агенцтв|юрфірм)",
            rf"{_B}(паслуг|работ|гадзін\w* працы|ганарар)\w* (патэнтн\w* )?(паверан|юрыст)",
            rf"{_B}(паверан|юрыст)\w* (бяруць|бярэ|просяць)",
            rf"{_B}коль?кі (вы )?(бераце|возьмеце|каштуюць вашы паслугі){_E}",
            rf"{_B}(вашы|вашых) (паслуг|расцэнк|тарыф)",
            rf"{_B}коль?кі (бяруць|бярэ|просяць|возьмуць|каштуюць паслугі) (\w+ )?(паверан|юрыст)",
        ),
    ),
    # a bank account of one's own, the day's exchange rate
    "banking": (
        "everyday",
        (
            rf"{_B}open(ing)? (a |an )?(\w+ )?(bank )?account",
            rf"{_B}(todays|today|current|now|latest)(?: \w+){{0,2}} (exchange )?rates?{_E}",
            rf"{_B}(exchange )?rates? (today|now|this week){_E}",
            rf"{_B}откры\w* (\w+ )?сч(е|ё)т",
            rf"{_B}курс\w*(?: \w+){{0,3}} (сегодня|сейчас|на сегодня|на завтра){_E}",
            rf"{_B}(сегодня|сейчас|текущ\w*|сегодняшн\w*|актуальн\w*)(?: \w+){{0,2}} курс",
            rf"{_B}адкры\w* (\w+ )?рахун",
            rf"{_B}курс\w*(?: \w+){{0,3}} (сення|зараз|на сення|на заутра){_E}",
            rf"{_B}(сення|зараз|бягуч\w*|сенняшн\w*|актуальн\w*)(?: \w+){{0,2}} курс",
        ),
    ),
    # someone copies a product, infringement, a lawsuit
    "infringement": (
        "patent_practice",
        (
            rf"{_B}(competitor|competitors|infring\w*|counterfeit\w*|copycats?|lawsuit|sue){_E}",
            rf"{_B}(is|are|has|have) (copying|copied){_E}",
            rf"{_B}(конкурент\w*|контрафакт\w*|подделк\w*|скопировал\w*){_E}",
            rf"{_B}наруш\w* (наш\w* |мо\w* |чуж\w* )?(патент|прав на)",
            rf"{_B}копиру\w* (наш|мой|мою|продукт|изделие|разработк)",
            rf"{_B}(канкурэнт\w*|кантрафакт\w*|падробк\w*|скапіявал\w*){_E}",
            rf"{_B}паруш\w* (наш\w* |мо\w* |чуж\w* )?(патэнт|прав на)",
            rf"{_B}капі(ю|ру)\w* (наш|мой|маю|прадукт|выраб|распрацоўк)",
        ),
    ),
    # writing the application or its claims, judging patentability
    "drafting": (
        "patent_practice",
        (
            rf"{_B}(draft|drafting|write|writing|prepare|preparing) (the |my |our |a )?"
            rf"(patent )?(claims|application|specification|description){_E}",
            rf"{_B}(составить|написать|составлять|писать|подготовить) (\w+ )?"
            rf"(формул|заявк|описани)",
            rf"{_B}(скласці|напісаць|складаць|пісаць|падрыхтаваць) (\w+ )?"
            rf"(формул|заяўк|апісанн)",
        ),
    ),
    # whether a patent is in force, where an application stands
    "status": (
        "patent_practice",
        (
            rf"{_B}(check|verify|find out|see) (whether|if) (a |the |my |our |this )?patent"
            rf" (is )?(valid|in force|still)",
            rf"{_B}(status|state) of (a |the |my |our )?(patent|application){_E}",
            rf"{_B}проверить(?: \w+){{0,2}} (действует|действие|статус|действи)",
            rf"{_B}статус (патента|заявки){_E}",
            rf"{_B}праверыць(?: \w+){{0,2}} (дзейнічае|дзеянне|статус)",
            rf"{_B}статус (патэнта|заяўкі){_E}",
        ),
    ),
    # how many patents are granted, filed — statistics
    "statistics": (
        "patent_practice",
        (
            rf"{_B}how many (patents|applications|pct applications)(?: \w+){{0,4}}"
            rf" (grant|granted|filed|enter|issued|a year|per year|each year|every year)",
            rf"{_B}сколь?ко (патентов|заявок)(?: \w+){{0,4}} (выда|пода|в год|за год|ежегодно)",
            rf"{_B}коль?кі (патэнтаў|заявак|заявак)(?: \w+){{0,4}} (выда|пада|у год|за год)",
        ),
    ),
    # what a term of the international phase or of patent practice means (the FAQ's answers
    # name the international search report, the PCT, the IPC; they never explain them)
    "definition": (
        "international_phase",
        (
            rf"{_B}(что такое|что значит|что означает|што такое|што значыць|што азначае"
            rf"|what is|what are|what does|whats|meaning of|define|definition of)"
            rf" (a |an |the )?(отчет\w* о (международном )?поиске|справаздач\w* аб (міжнародным )?"
            rf"пошуку|international search report|isr|iprp|ipc|мпк|pct|рст|письменн\w* мнени"
            rf"|пісьмов\w* меркаванн|written opinion|патентн\w* семь|патэнтн\w* сям|patent famil"
            rf"|международн\w* заявк|міжнародн\w* заяўк|international application)",
            rf"{_B}(isr|international search report) (meaning|definition){_E}",
            rf"{_B}(что такое|што такое|what is a|what is an) (патент|изобретение|вынаходства"
            rf"|патэнт|patent|invention){_E}",
            rf"{_B}(member|contracting) states{_E}",
            rf"{_B}(страны|стран|краіны|краін) (\w+ )?(участни|удзельні)",
            rf"{_B}(epct|patentscope){_E}",
        ),
    ),
    # contesting, opposing or invalidating a patent (the FAQ's appeal is of the Office's review
    # under Article 25, not of a patent)
    "contest": (
        "patent_practice",
        (
            rf"{_B}(challeng\w*|oppos\w*|contest\w*|invalidat\w*|revok\w*|revocation|cancel\w*"
            rf"|nullif\w*|annul\w*)(?: \w+){{0,4}} (patent|patents|grant){_E}",
            rf"{_B}(patent|patents)(?: \w+){{0,3}} (declared |held )?invalid{_E}",
            rf"{_B}(оспор\w*|опротест\w*|аннулировать|аннулирования)(?: \w+){{0,3}}"
            rf" (патент|выдач)",
            rf"{_B}(недействительн\w*|возражени\w* против)",
            rf"{_B}(аспрэч\w*|апратэст\w*|ануляваць|анулявання)(?: \w+){{0,3}} (патэнт|выдач)",
            rf"{_B}(несапраўдн\w*|пярэчанн\w* супраць)",
        ),
    ),
    # filing electronically, through a website or a personal account
    "e_filing": (
        "patent_practice",
        (
            rf"{_B}(online|electronically|e filing|efiling|personal account|digital signature)"
            rf"{_E}",
            rf"{_B}electronic (filing|form|application|submission|documents?){_E}",
            rf"{_B}(through|via|on) the (website|portal|site){_E}",
            rf"{_B}(онлайн|электронно|личн\w* кабинет\w*|эцп){_E}",
            rf"{_B}электронн\w* (вид\w*|форм\w*|подач\w*|заявк\w*|документ\w*"
            rf"|цифров\w* подпис\w*){_E}",
            rf"{_B}через (сайт|портал){_E}",
            rf"{_B}электронн\w* (кабинет\w*|систем\w*|сервис\w*|портал\w*){_E}",
            rf"{_B}(анлайн|электронна|асабіст\w* кабінет\w*|эцп){_E}",
            rf"{_B}электронн\w* (выгляд\w*|форм\w*|падач\w*|заяўк\w*|дакумент\w*"
            rf"|лічбав\w* подпіс\w*){_E}",
            rf"{_B}праз (сайт|партал){_E}",
            rf"{_B}электронн\w* (кабінет\w*|сістэм\w*|сэрвіс\w*|партал\w*){_E}",
            rf"{_B}(electronic|online|e filing) (system|portal|service|cabinet|account){_E}",
        ),
    ),
    # filing with Rospatent, another country's office
    "rospatent_filing": (
        "other_systems",
        (
            rf"{_B}(file|filing|apply|applying|submit\w*|register\w*|patent\w*|get\w*)"
            rf"(?: \w+){{0,4}} (with|at|to|via|through|in|from) (the )?rospatent{_E}",
            rf"{_B}(в|через) роспатент{_E}",
            rf"{_B}(у|ў|праз) распатэнт{_E}",
        ),
    ),
    # licences, assignments and transfers of a patent, royalties
    "licensing": (
        "patent_practice",
        (
            rf"{_B}(licen[cs]\w*|royalt\w*|sublicen\w*){_E}",
            rf"{_B}assignment (agreement|contract|deed|of (a |the |my |our )?patent){_E}",
            rf"{_B}(assign\w*|sell\w*|transfer\w*) (a |the |my |our |this )?(granted )?patent"
            rf"{_E}",
            rf"{_B}(лиценз\w*|сублиценз\w*|роялти|паушальн\w*){_E}",
            rf"{_B}(договор\w* )?уступк\w* (\w+ )?(патент|прав на патент|исключительн)",
            rf"{_B}договор\w* уступк",
            rf"{_B}(передать|продать|переуступить|продажа|передача) (\w+ )?(\w+ )?патент(?!н)",
            rf"{_B}(ліцэнз\w*|субліцэнз\w*|раялці){_E}",
            rf"{_B}(дамов\w* )?уступк\w* (\w+ )?(патэнт|прав на патэнт|выключн)",
            rf"{_B}дамов\w* уступк",
            rf"{_B}(перадаць|прадаць|продаж|перадача) (\w+ )?(\w+ )?патэнт(?!н)",
        ),
    ),
    # registers, databases, searches, classification
    "registers": (
        "patent_practice",
        (
            rf"{_B}extract from (the |a )?(patent |state )?register{_E}",
            rf"{_B}(search|searching|look up|find)(?: \w+){{0,3}} (database|databases|register"
            rf"|published applications){_E}",
            rf"{_B}(ipc|cpc|pph|patent prosecution highway){_E}",
            rf"{_B}выписк\w* (из )?(\w+ )?реестр",
            rf"{_B}поиск\w* (\w+ )?(по|в) (\w+ )?(баз|реестр)",
            rf"{_B}(мпк|спк|pph){_E}",
            rf"{_B}классификац\w*",
            rf"{_B}выпіск\w* (з )?(\w+ )?рэестр",
            rf"{_B}пошук\w* (\w+ )?(па|у|ў) (\w+ )?(баз|рэестр)",
            rf"{_B}класіфікацы\w*",
        ),
    ),
    # acts of the international phase (before entering Belarus)
    "international_phase": (
        "international_phase",
        (
            rf"{_B}(in|during) the international (phase|stage){_E}",
            rf"{_B}international publication{_E}",
            rf"{_B}(в|на|во время) международн\w* (фаз|стади)\w*{_E}",
            rf"{_B}международн\w* публикац",
            rf"{_B}(у|ў|на|падчас) міжнародн\w* (фаз|стады)\w*{_E}",
            rf"{_B}міжнародн\w* публікац",
        ),
    ),
    # whether something can be patented, novelty, prior art (the seeds say how to enter, not
    # what is protected)
    "patentability": (
        "patent_practice",
        (
            rf"{_B}(patentab\w*|novelty|prior art|inventive step){_E}",
            rf"{_B}(can|could) (i|we|you|one) patent (a|an|my|our|the|this|software|an?)?{_E}",
            rf"{_B}(запатентовать|патентоспособн\w*|новизн\w*|уровень техники"
            rf"|изобретательск\w* уров\w*){_E}",
            rf"{_B}(запатэнтаваць|патэнтаздольн\w*|навізн\w*|узровень тэхнікі"
            rf"|вынаходніцк\w* узр\w*){_E}",
        ),
    ),
    # employees' inventions, the inventor's remuneration, who owns an invention
    "ownership": (
        "patent_practice",
        (
            rf"{_B}(employee|employees|service|employer)s? inventions?{_E}",
            rf"{_B}(remuneration|reward|compensation) (of|for|to) (the )?inventors?{_E}",
            rf"{_B}служебн\w* (изобретени|разработк|полезн)",
            rf"{_B}вознагражден\w* (\w+ )?(автор|изобретател)",
            rf"{_B}службов\w* (вынаходств|распрацоўк|карысн)",
            rf"{_B}узнагарод\w* (\w+ )?(аўтар|вынаходнік)",
        ),
    ),
    # recording a changed name or address of an applicant or owner
    "recordal": (
        "patent_practice",
        (
            rf"{_B}(change|changing|changed|update|record\w*) (of )?(the |our |my )?"
            rf"(applicant|owner|proprietor|patentee|company)s? (name|address){_E}",
            rf"{_B}(смен\w*|измен\w*) (\w+ )?(адрес\w*|наименовани\w*|названи\w*)"
            rf"(?: \w+)? (заявител|владельц|патентообладател|компани|фирм)",
            rf"{_B}(змен\w*|змян\w*) (\w+ )?(адрас\w*|найменн\w*|назв\w*)"
            rf"(?: \w+)? (заяўнік|уладальнік|патэнтаўладальнік|кампані|фірм)",
        ),
    ),
    # money back, money from the state (a "grant" of money is not a patent's grant)
    "money": (
        "patent_practice",
        (
            rf"{_B}(refund\w*|reimburs\w*|subsid\w*|funding){_E}",
            rf"{_B}grants?(?: \w+){{0,4}} (from|by) (the )?(government|state){_E}",
            rf"{_B}(возврат\w*|вернуть|вернут) (\w+ )?(уплаченн\w* )?(пошлин|деньг|сбор)",
            rf"{_B}(вяртанн\w*|вярнуць|вернуць) (\w+ )?(заплачан\w* )?(пошлін|грош|збор)",
            rf"{_B}(грант\w*|субсиди\w*|субсід\w*){_E}",
        ),
    ),
    # other objects of IP: marks, designs, copyright (the FAQ is about inventions and utility
    # models entering through the PCT)
    "trademarks": (
        "trademarks",
        (
            rf"{_B}(trademarks?|trade marks?|service marks?|brand names?|logos?){_E}",
            rf"{_B}(товарн\w* знак\w*|знак\w* обслуживан\w*|бренд\w*|логотип\w*){_E}",
            rf"{_B}(таварн\w* знак\w*|знак\w* абслугоўван\w*|брэнд\w*|лагатып\w*){_E}",
        ),
    ),
    "designs": (
        "designs",
        (
            rf"{_B}industrial designs?{_E}",
            rf"{_B}промышленн\w* образ\w*{_E}",
            rf"{_B}прамысл\w* узор\w*{_E}",
        ),
    ),
    "copyright": (
        "copyright",
        (
            rf"{_B}copyrights?{_E}",
            rf"{_B}авторск\w* прав\w*{_E}",
            rf"{_B}аўтарск\w* прав\w*{_E}",
        ),
    ),
    # a national application filed directly, not through the PCT
    "direct_filing": (
        "patent_practice",
        (
            rf"{_B}(without|not via|not through|bypassing|outside) (the )?pct{_E}",
            rf"{_B}(без|не через|минуя|помимо) (\w+ )?(pct|рст|пкт){_E}",
            rf"{_B}(без|не праз|абыходзячы) (\w+ )?(pct|рст|пкт){_E}",
        ),
    ),
    # an errand for the bot: to translate, file, phone, fill in or pay for the user — the bot
    # answers questions, it does nothing at the Office ("could you call the NCIP")
    "errand": (
        "everyday",
        (
            rf"{_B}(could|would) you (please |kindly )?(call|phone|ring|email|e mail|contact"
            rf"|write to|translate|fill|prepare|draft|set up|check on|find out){_E}",
            rf"{_B}(can|will) you (please |kindly )?(call|phone|ring|email|contact|write to"
            rf"|translate){_E}",
            rf"{_B}please (call|phone|ring|contact|translate){_E}",
            rf"{_B}(translate|file|submit|lodge|prepare|fill in|fill out|pay|do"
            rf"|work out|calculate|compute)(?: \w+){{0,5}} for (me|us){_E}",
            rf"{_B}(переведи|переведите|позвони|позвоните|созвонись|созвонитесь){_E}",
            rf"{_B}(подай|подайте|заполни|заполните|оплати|оплатите|отправь|отправьте|сделай"
            rf"|сделайте|посчитай|посчитайте|рассчитай|рассчитайте|узнай|узнайте|оформи"
            rf"|оформите)(?: \w+){{0,2}} (за меня|за нас|вместо меня|вместо нас|для меня"
            rf"|для нас){_E}",
            rf"{_B}(сделай|сделайте|заполни|заполните|настрой|настройте) (мне|нам){_E}",
            rf"{_B}(перакладзі|перакладзіце|патэлефануй|патэлефануйце|пазвані|пазваніце){_E}",
            rf"{_B}(падай|падайце|запоўні|запоўніце|заплаці|заплаціце|адпраў|адпраўце|зрабі"
            rf"|зрабіце|палічы|палічыце|разлічы|разлічыце|даведайся|даведайцеся|аформі"
            rf"|аформіце)(?: \w+){{0,2}} (за мяне|за нас|замест мяне|замест нас|для мяне"
            rf"|для нас){_E}",
            rf"{_B}(зрабі|зрабіце|запоўні|запоўніце|наладзь|наладзьце) (мне|нам){_E}",
        ),
    ),
    # becoming an inventor, translators' prices: what a person, not the Office, does
    "people": (
        "patent_practice",
        (
            rf"{_B}become an inventor{_E}",
            rf"{_B}стать изобретател",
            rf"{_B}стаць вынаходнік",
            rf"{_B}(translators?|translation agenc\w*)(?: \w+){{0,3}} (charge|charges|prices?"
            rf"|costs?|rates|fees){_E}",
            rf"{_B}(услуг\w*|стоимост\w*|цен\w*) (\w+ )?(переводчик|бюро перевод)",
            rf"{_B}(паслуг\w*|кошт\w*|цан\w*) (\w+ )?(перакладчык|бюро перакладаў)",
            rf"{_B}(переводчик|перакладчык)\w* (берут|бярэ|бяруць|берет|стоят|каштуюць)",
            rf"{_B}(бюро перевод\w*|бюро перакладаў|translation (agenc\w*|bureau|company)){_E}",
        ),
    ),
}

_COMPILED: Final[dict[Intent, re.Pattern[str]]] = {
    intent: re.compile("|".join(f"(?:{p})" for p in patterns))
    for intent, patterns in _PATTERNS.items()
}
# A foreign country named in any case ("deadline for China", "вход в Казахстан", "для
# Узбекістана") is "elsewhere" too — unless the question says that something comes from one
# ("pay from Russia", "перечислить из России, Казахстана": the payment is made to Belarus) or
# that the applicant lives or is based there ("я жыву ў Польшчы", "we are based in China").
_COUNTRY: Final = re.compile(rf"{_B}({FOREIGN}){_E}")
_FROM_COUNTRY: Final = re.compile(
    rf"{_B}((from|из|с|со|от|з|са|ад)|(live|living|based|located|resident|живу|живем|живут"
    rf"|находимся|жыву|жывем|жывуць|знаходзімся) (in|в|во|у|ў)) (the )?({FOREIGN}){_E}"
)
# One pattern for them all, each starting at a word (`_B`): the group that matched names the
# kind.
assert all(p.startswith(_B) for _kind, patterns in UNANSWERED.values() for p in patterns)
_SPACE: Final = re.compile(r" +")
# (`read` tries it at word starts only, so each pattern's leading `_B` is said once, in front)
_UNANSWERED: Final[re.Pattern[str]] = re.compile(
    _B
    + "(?:"
    + "|".join(
        f"(?P<{what}>{'|'.join(f'(?:{p[len(_B) :]})' for p in patterns)})"
        for what, (_kind, patterns) in UNANSWERED.items()
    )
    + ")"
)

# Number words that name periods in the FAQ's questions.
_NUMBER_WORDS: Final[dict[str, int]] = {
    word: n
    for n, words in {
        1: "one a an один одного одна один адзін аднаго адна",
        2: "two два две двух два дзве двух",
        3: "three три трех тры трох",
        4: "four четыре четырех чатыры чатырох",
        5: "five пять пяти пяць пяці",
        6: "six шесть шести шэсць шасці",
        12: "twelve двенадцать двенадцати дванаццаць дванаццаці",
    }.items()
    for word in words.split()
}
_MONTH: Final = r"(months?|месяц\w*|мес)"
# Years in the plural only: "year 8", "за 8 год", "8 год патэнта" name a year of the term.
_YEAR: Final = r"(years|года|лет|годов|гады|гадоў)"
_PERIOD: Final = re.compile(rf"{_B}(\d{{1,3}}|[a-zа-яіў]+)(?: |-)?(?:{_MONTH}|{_YEAR}){_E}")


@dataclass(frozen=True, slots=True)
class Reading:
    """What a question asks (`intents`) and the periods it names, in months."""

    intents: frozenset[Intent]
    months: frozenset[int]
    # what the question asks that the seeds never answer (a key of UNANSWERED), if it does
    unanswered: str | None = None

    @property
    def outside(self) -> str | None:
        """The out-of-scope kind of a question that asks what the seeds never answer."""
        return UNANSWERED[self.unanswered][0] if self.unanswered else None

    def describe(self) -> list[str]:
        """For an explanation: e.g. ["cost", "31 months"], ["duration"]."""
        return [
            *sorted(self.intents),
            *(f"{m} months" for m in sorted(self.months)),
            *([self.unanswered] if self.unanswered else []),
        ]


def read(normalised: str) -> Reading:
    """The intents and periods of a question already passed through `normalise`."""
    intents = frozenset(i for i in INTENTS if _COMPILED[i].search(normalised))
    if _FROM_COUNTRY.search(normalised):
        # where the applicant is from or lives says nothing of where the question is about:
        # "elsewhere" only if a foreign country is named besides
        if not _COUNTRY.search(_FROM_COUNTRY.sub(" ", normalised)):
            intents -= {"elsewhere"}
    elif _COUNTRY.search(normalised):
        intents |= {"elsewhere"}
    months: set[int] = set()
    for m in _PERIOD.finditer(normalised):
        word, month_unit = m.group(1), m.group(2)
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if n is None or n == 0:
            continue
        months.add(n if month_unit else n * 12)
    unanswered = None
    # every pattern starts at a word: try them there only (a search tries each character)
    for start in (0, *(m.end() for m in _SPACE.finditer(normalised))):
        found = _UNANSWERED.match(normalised, start)
        if found:
            unanswered = found.lastgroup
            break
    return Reading(intents, frozenset(months), unanswered)
