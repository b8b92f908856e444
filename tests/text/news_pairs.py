"""One short news story, written by the team in English and 17 other languages (never copied
from ../shared/data or the web), and the edits the compare tests make to it.

Each version writes its numbers, dates and names the way news in that language does: Arabic-Indic
and Persian digits with their own separators, Chinese and Japanese 万, Korean 만, Hindi lakh,
a Thai Buddhist-era year, Russian genitive months, Turkish "%85". Sentence 3 (UNICEF) is the one
the "dropped" variant leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    lang: str
    sentences: tuple[str, ...]
    number: tuple[str, str]  # (as written in sentence 0, the changed figure)
    name: tuple[str, str]  # (the governor's surname as written in sentence 1, another surname)
    added: str  # a sentence the English version does not have
    rewritten: tuple[str, str]  # (the figure in sentence 0, the same figure written another way)
    joiner: str = " "  # between sentences: Chinese and Japanese write none

    @property
    def text(self) -> str:
        return self.joiner.join(self.sentences)

    def with_number_changed(self) -> str:
        return self._first_replaced(*self.number)

    def with_number_rewritten(self) -> str:
        return self._first_replaced(*self.rewritten)

    def _first_replaced(self, old: str, new: str) -> str:
        first = self.sentences[0].replace(old, new, 1)
        assert first != self.sentences[0]
        return self.joiner.join((first, *self.sentences[1:]))

    def with_name_changed(self) -> str:
        old, new = self.name
        second = self.sentences[1].replace(old, new, 1)
        assert second != self.sentences[1]
        return self.joiner.join((self.sentences[0], second, *self.sentences[2:]))

    def with_sentence_dropped(self) -> str:
        return self.joiner.join(s for k, s in enumerate(self.sentences) if k != 3)

    def with_sentence_added(self) -> str:
        return self.joiner.join((*self.sentences[:4], self.added, *self.sentences[4:]))


ENGLISH = Story(
    "en",
    (
        "Storm damage at the port of Odesa forced 12,500 people from their homes on 5 March 2024.",
        "The regional governor, Elena Markova, said repairs would cost 3.5 million euros.",
        '"The water rose faster than we expected," Markova said.',
        "UNICEF sent 40 tonnes of supplies to the city.",
        "By Friday, electricity had been restored to 85% of households.",
    ),
    ("12,500", "15,200"),
    ("Markova", "Petrenko"),
    "Schools in the city will stay closed until Monday.",
    ("12,500", "12.5 thousand"),
)

STORIES = [
    Story(
        "ru",
        (
            "Из-за шторма в порту Одессы 5 марта 2024 года 12 500 человек были вынуждены покинуть свои дома.",
            "Губернатор области Елена Маркова заявила, что ремонт обойдётся в 3,5 млн евро.",
            "«Вода поднялась быстрее, чем мы ожидали», — сказала Маркова.",
            "ЮНИСЕФ направил в город 40 тонн гуманитарных грузов.",
            "К пятнице электроснабжение было восстановлено в 85% домохозяйств.",
        ),
        ("12 500", "15 200"),
        ("Маркова", "Петренко"),
        "Школы города останутся закрытыми до понедельника.",
        ("12 500", "12,5 тыс."),
    ),
    Story(
        "uk",
        (
            "Через шторм у порту Одеси 5 березня 2024 року 12 500 людей були змушені залишити свої домівки.",
            "Голова обласної адміністрації Олена Маркова заявила, що ремонт коштуватиме 3,5 млн євро.",
            "«Вода піднялася швидше, ніж ми очікували», — сказала Маркова.",
            "ЮНІСЕФ надіслав до міста 40 тонн гуманітарних вантажів.",
            "До п'ятниці електропостачання відновили у 85% домогосподарств.",
        ),
        ("12 500", "15 200"),
        ("Маркова", "Петренко"),
        "Школи міста залишатимуться зачиненими до понеділка.",
        ("12 500", "12,5 тис."),
    ),
    Story(
        "ar",
        (
            "أجبرت أضرار العاصفة في ميناء أوديسا ١٢٬٥٠٠ شخص على مغادرة منازلهم في ٥ مارس ٢٠٢٤.",
            "وقالت حاكمة المنطقة، إيلينا ماركوفا، إن الإصلاحات ستكلف ٣٫٥ مليون يورو.",
            "وقالت ماركوفا: «ارتفعت المياه أسرع مما توقعنا».",
            "وأرسلت منظمة اليونيسف ٤٠ طنًا من الإمدادات إلى المدينة.",
            "وبحلول يوم الجمعة، عادت الكهرباء إلى ٨٥٪ من المنازل.",
        ),
        ("١٢٬٥٠٠", "١٥٬٢٠٠"),
        ("ماركوفا", "بيترينكو"),
        "وستبقى مدارس المدينة مغلقة حتى يوم الاثنين.",
        ("١٢٬٥٠٠", "12,500"),
    ),
    Story(
        "fa",
        (
            "خسارت‌های ناشی از طوفان در بندر اودسا در ۵ مارس ۲۰۲۴ ۱۲٬۵۰۰ نفر را وادار به ترک خانه‌هایشان کرد.",
            "النا مارکووا، فرماندار منطقه، گفت که هزینه تعمیرات ۳٫۵ میلیون یورو خواهد بود.",
            "مارکووا گفت: «آب سریع‌تر از آنچه انتظار داشتیم بالا آمد.»",
            "یونیسف ۴۰ تن اقلام امدادی به این شهر فرستاد.",
            "تا روز جمعه، برق ۸۵ درصد خانوارها وصل شد.",
        ),
        ("۱۲٬۵۰۰", "۱۵٬۲۰۰"),
        ("مارکووا", "پترنکو"),
        "مدارس شهر تا روز دوشنبه تعطیل خواهند ماند.",
        ("۱۲٬۵۰۰", "۱۲٫۵ هزار"),
    ),
    Story(
        "he",
        (
            "נזקי הסערה בנמל אודסה אילצו 12,500 בני אדם לעזוב את בתיהם ב-5 במרץ 2024.",
            "מושלת המחוז, אלנה מרקובה, אמרה כי התיקונים יעלו 3.5 מיליון אירו.",
            '"המים עלו מהר יותר ממה שציפינו", אמרה מרקובה.',
            "יוניסף שלח לעיר 40 טונות של אספקה.",
            "עד יום שישי חודשה אספקת החשמל ל-85% ממשקי הבית.",
        ),
        ("12,500", "15,200"),
        ("מרקובה", "פטרנקו"),
        "בתי הספר בעיר יישארו סגורים עד יום שני.",
        ("12,500", "12.5 אלף"),
    ),
    Story(
        "hi",
        (
            "5 मार्च 2024 को ओडेसा बंदरगाह पर तूफ़ान से हुए नुकसान के कारण 12,500 लोगों को अपने घर छोड़ने पड़े।",
            "क्षेत्रीय गवर्नर एलेना मार्कोवा ने कहा कि मरम्मत पर 35 लाख यूरो खर्च होंगे।",
            'मार्कोवा ने कहा, "पानी हमारी उम्मीद से ज़्यादा तेज़ी से बढ़ा।"',
            "यूनिसेफ ने शहर को 40 टन राहत सामग्री भेजी।",
            "शुक्रवार तक 85% घरों में बिजली बहाल कर दी गई।",
        ),
        ("12,500", "15,200"),
        ("मार्कोवा", "पेट्रेंको"),
        "शहर के स्कूल सोमवार तक बंद रहेंगे।",
        ("12,500", "१२,५००"),
    ),
    Story(
        "zh",
        (
            "2024年3月5日，敖德萨港遭受风暴破坏，1.25万人被迫离开家园。",
            "州长叶莲娜·马尔科娃表示，修复工作将耗资350万欧元。",
            "马尔科娃说：“水位上涨的速度比我们预想的要快。”",
            "联合国儿童基金会向该市运送了40吨物资。",
            "截至周五，85%的家庭已恢复供电。",
        ),
        ("1.25万", "1.52万"),
        ("马尔科娃", "彼得连科"),
        "该市学校将停课至周一。",
        ("1.25万", "12500"),
        joiner="",
    ),
    Story(
        "ja",
        (
            "2024年3月5日、オデーサ港で嵐による被害が発生し、1万2500人が自宅を離れることを余儀なくされた。",
            "州知事のエレナ・マルコワ氏は、修復には350万ユーロかかると述べた。",
            "マルコワ氏は「水位は予想よりも速く上昇した」と語った。",
            "ユニセフは同市に40トンの支援物資を送った。",
            "金曜日までに85％の世帯で電力が復旧した。",
        ),
        ("1万2500", "1万5200"),
        ("マルコワ", "ペトレンコ"),
        "市内の学校は月曜日まで休校となる。",
        ("1万2500", "12,500"),
        joiner="",
    ),
    Story(
        "ko",
        (
            "2024년 3월 5일 오데사 항구에서 폭풍 피해가 발생해 1만 2500명이 집을 떠나야 했다.",
            "엘레나 마르코바 주지사는 복구 비용이 350만 유로에 이를 것이라고 말했다.",
            '마르코바 주지사는 "물이 예상보다 빨리 불어났다"고 말했다.',
            "유니세프는 이 도시에 구호물자 40톤을 보냈다.",
            "금요일까지 85%의 가구에 전기가 복구됐다.",
        ),
        ("1만 2500", "1만 5200"),
        ("마르코바", "페트렌코"),
        "시내 학교들은 월요일까지 휴교한다.",
        ("1만 2500", "12,500"),
    ),
    Story(
        "th",
        (
            "เมื่อวันที่ 5 มีนาคม 2567 ความเสียหายจากพายุที่ท่าเรือโอเดสซาทำให้ประชาชน 12,500 คนต้องออกจากบ้าน",
            "เอเลนา มาร์โควา ผู้ว่าการภูมิภาค กล่าวว่าการซ่อมแซมจะมีค่าใช้จ่าย 3.5 ล้านยูโร",
            'มาร์โควากล่าวว่า "น้ำขึ้นเร็วกว่าที่เราคาดไว้"',
            "ยูนิเซฟส่งสิ่งของช่วยเหลือ 40 ตันไปยังเมืองนี้",
            "ภายในวันศุกร์ ไฟฟ้ากลับมาใช้ได้ใน 85% ของครัวเรือน",
        ),
        ("12,500", "15,200"),
        ("มาร์โควา", "เปเตรนโก"),
        "โรงเรียนในเมืองจะปิดจนถึงวันจันทร์",
        ("12,500", "๑๒,๕๐๐"),
    ),
    Story(
        "vi",
        (
            "Ngày 5 tháng 3 năm 2024, thiệt hại do bão tại cảng Odesa đã buộc 12.500 người phải rời bỏ nhà cửa.",
            "Thống đốc khu vực Elena Markova cho biết chi phí sửa chữa sẽ lên tới 3,5 triệu euro.",
            '"Nước dâng nhanh hơn chúng tôi dự kiến", bà Markova nói.',
            "UNICEF đã gửi 40 tấn hàng cứu trợ tới thành phố.",
            "Đến thứ Sáu, điện đã được khôi phục cho 85% hộ gia đình.",
        ),
        ("12.500", "15.200"),
        ("Markova", "Petrenko"),
        "Các trường học trong thành phố sẽ đóng cửa đến thứ Hai.",
        ("12.500", "12,5 nghìn"),
    ),
    Story(
        "tr",
        (
            "Odessa limanındaki fırtına hasarı, 5 Mart 2024'te 12.500 kişiyi evlerini terk etmek zorunda bıraktı.",
            "Bölge valisi Elena Markova, onarımların 3,5 milyon avroya mal olacağını söyledi.",
            'Markova, "Su beklediğimizden daha hızlı yükseldi" dedi.',
            "UNICEF, kente 40 ton yardım malzemesi gönderdi.",
            "Cuma gününe kadar hanelerin %85'ine elektrik yeniden verildi.",
        ),
        ("12.500", "15.200"),
        ("Markova", "Petrenko"),
        "Kentteki okullar pazartesiye kadar kapalı kalacak.",
        ("12.500", "12,5 bin"),
    ),
    Story(
        "el",
        (
            "Οι ζημιές από την καταιγίδα στο λιμάνι της Οδησσού ανάγκασαν 12.500 ανθρώπους να εγκαταλείψουν τα σπίτια τους στις 5 Μαρτίου 2024.",
            "Η περιφερειάρχης Έλενα Μάρκοβα δήλωσε ότι οι επισκευές θα κοστίσουν 3,5 εκατ. ευρώ.",
            "«Το νερό ανέβηκε πιο γρήγορα απ' ό,τι περιμέναμε», είπε η Μάρκοβα.",
            "Η UNICEF έστειλε 40 τόνους εφοδίων στην πόλη.",
            "Μέχρι την Παρασκευή, η ηλεκτροδότηση είχε αποκατασταθεί στο 85% των νοικοκυριών.",
        ),
        ("12.500", "15.200"),
        ("Μάρκοβα", "Πετρένκο"),
        "Τα σχολεία της πόλης θα παραμείνουν κλειστά έως τη Δευτέρα.",
        ("12.500", "12,5 χιλ."),
    ),
    Story(
        "es",
        (
            "Los daños causados por la tormenta en el puerto de Odesa obligaron a 12.500 personas a abandonar sus hogares el 5 de marzo de 2024.",
            "La gobernadora regional, Elena Markova, dijo que las reparaciones costarán 3,5 millones de euros.",
            '"El agua subió más rápido de lo que esperábamos", dijo Markova.',
            "UNICEF envió 40 toneladas de suministros a la ciudad.",
            "Para el viernes, se había restablecido la electricidad en el 85% de los hogares.",
        ),
        ("12.500", "15.200"),
        ("Markova", "Petrenko"),
        "Las escuelas de la ciudad permanecerán cerradas hasta el lunes.",
        ("12.500", "12 500"),
    ),
    Story(
        "pt",
        (
            "Os danos causados pela tempestade no porto de Odessa obrigaram 12.500 pessoas a deixar as suas casas em 5 de março de 2024.",
            "A governadora regional, Elena Markova, disse que as reparações vão custar 3,5 milhões de euros.",
            '"A água subiu mais depressa do que esperávamos", disse Markova.',
            "A UNICEF enviou 40 toneladas de mantimentos para a cidade.",
            "Até sexta-feira, a eletricidade tinha sido restabelecida em 85% das casas.",
        ),
        ("12.500", "15.200"),
        ("Markova", "Petrenko"),
        "As escolas da cidade vão permanecer fechadas até segunda-feira.",
        ("12.500", "12,5 mil"),
    ),
    Story(
        "pl",
        (
            "Zniszczenia spowodowane przez sztorm w porcie w Odessie zmusiły 5 marca 2024 r. 12 500 osób do opuszczenia domów.",
            "Wojewoda Elena Markowa powiedziała, że naprawy będą kosztować 3,5 mln euro.",
            "„Woda podniosła się szybciej, niż się spodziewaliśmy” – powiedziała Markowa.",
            "UNICEF wysłał do miasta 40 ton zaopatrzenia.",
            "Do piątku przywrócono zasilanie w 85% gospodarstw domowych.",
        ),
        ("12 500", "15 200"),
        ("Markowa", "Petrenko"),
        "Szkoły w mieście pozostaną zamknięte do poniedziałku.",
        ("12 500", "12,5 tys."),
    ),
    Story(
        "sw",
        (
            "Uharibifu wa dhoruba katika bandari ya Odesa uliwalazimisha watu 12,500 kuyahama makazi yao tarehe 5 Machi 2024.",
            "Gavana wa eneo hilo, Elena Markova, alisema matengenezo yatagharimu euro milioni 3.5.",
            '"Maji yalipanda kwa kasi kuliko tulivyotarajia," alisema Markova.',
            "UNICEF ilituma tani 40 za misaada katika mji huo.",
            "Kufikia Ijumaa, umeme ulikuwa umerejeshwa katika asilimia 85 ya kaya.",
        ),
        ("12,500", "15,200"),
        ("Markova", "Petrenko"),
        "Shule za mji huo zitaendelea kufungwa hadi Jumatatu.",
        ("watu 12,500", "watu elfu 12.5"),
    ),
]
