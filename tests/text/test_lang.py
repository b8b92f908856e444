import pytest

from crosswire.errors import CrosswireError
from crosswire.text.lang import check_language_code, detect_language, guess_language


@pytest.fixture
def seed_text(seed_path):
    def read(name: str) -> str:
        return seed_path(name).read_text(encoding="utf-8")

    return read


@pytest.mark.parametrize(("name", "lang"), [("en_wagner_drones.txt", "en"), ("id_wagner_drones.txt", "id")])
def test_seeds(seed_text, name, lang):
    assert detect_language(seed_text(name), name) == lang


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ja", "政府は月曜日に新しい経済対策を発表した。"),
        ("ja", "地震が発生しました。"),
        ("zh", "中国外交部发言人表示中方没有参与冲突。"),
        ("zh", "台灣總統府今天發表聲明。"),  # the model spreads this over zh/yue/wuu
        ("ru", "Министр заявил об этом в понедельник."),
        ("ar", "وقال الوزير إن الحكومة ستدعم القرار."),  # spread over ar/ary/arz
        ("de", "Der Minister sagte am Montag, die Regierung werde den Plan unterstützen."),
        ("de", "Das ist gut."),
        ("fr", "Le ministre a déclaré lundi que le gouvernement soutiendrait le projet."),
        ("fr", "C'est la vie."),
        ("es", "El ministro dijo el lunes que el gobierno apoyaría el plan."),
        ("uk", "Міністр заявив про це в понеділок."),
        ("ko", "정부는 월요일 새로운 경제 대책을 발표했다."),
        ("id", "Polisi menangkap dua orang tersangka."),
    ],
)
def test_sentences(lang, text):
    assert detect_language(text) == lang


def test_indonesian_preferred_when_malay_only_just_ahead():
    # py3langid scores this Indonesian sentence ms 0.52 / id 0.48.
    assert detect_language("Grup Wagner dilaporkan melakukan kesepakatan rahasia dengan China.") == "id"


def test_clear_malay_stays_malay():
    text = (
        "Kerajaan Malaysia akan melaksanakan dasar baharu untuk membantu rakyat "
        "yang terjejas akibat banjir di Kelantan dan Terengganu."
    )
    assert detect_language(text) == "ms"


@pytest.mark.parametrize(
    "text",
    [
        "qwrt pzkl mnbv cxzl hjkd fgrt wqpl zxcv bnml kjhg tdsq",  # consonant gibberish
        "1234 5678 9012 3456",  # no letters
        "Ab 12",  # too few letters
        "Hello world",  # too short to be sure
        "",
    ],
)
def test_unidentifiable(text):
    with pytest.raises(CrosswireError, match=r"^CW107 mystery\.txt: .*--lang-a/--lang-b"):
        detect_language(text, "mystery.txt")
    assert _canonical_code(guess_language(text)) == guess_language(text)  # still a supported code


def _canonical_code(code: str) -> str:
    return check_language_code(code, "guess")


def test_a_guess_is_the_detected_language_where_detection_is_sure():
    for text in ("Pemerintah menyatakan bahwa harga beras naik.", "Die Regierung hat die Preise erhöht."):
        assert guess_language(text) == detect_language(text)
    assert guess_language("Officials in the capital said the bridge would reopen next week.") == "en"


@pytest.mark.parametrize(
    ("code", "canonical"), [("en", "en"), ("id", "id"), ("zh", "zh"), ("deu", "de"), ("haw", "haw")]
)
def test_known_codes(code, canonical):
    assert check_language_code(code, "a.txt") == canonical


@pytest.mark.parametrize("code", ["xx", "qqq", "EN", "english", "e1", "", "und", "zxx", "en_US", "en-GB"])
def test_unknown_codes(code):
    with pytest.raises(CrosswireError, match=r"^CW108 article\.txt: "):
        check_language_code(code, "article.txt")


def test_preload_then_identify():
    # The CLI starts loading the model in a thread; whoever asks first waits for that one load.
    from crosswire.text import lang

    lang.preload()
    lang.preload()
    assert lang.detect_language("Das ist ein ganz normaler deutscher Satz über das Wetter.") == "de"
    assert lang._load_identifier.cache_info().misses <= 1


SAMPLES = [
    "The drones were made in Iran and sold to Russia, officials said.",
    "Drone itu dibuat di Iran dan dijual ke Rusia, kata para pejabat.",
    "Дрони були зроблені в Ірані та продані Росії, заявили посадовці.",
    "官员说，这些无人机是在伊朗制造并卖给俄罗斯的。",
    "কর্মকর্তারা বলেছেন, ড্রোনগুলি ইরানে তৈরি এবং রাশিয়ার কাছে বিক্রি করা হয়েছিল।",
]


def test_the_cached_model_ranks_as_the_packaged_one(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from crosswire.text import lang

    monkeypatch.setenv("CROSSWIRE_CACHE", str(tmp_path))
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    path = lang._cached_model_path()
    assert path.parent == tmp_path
    lang._write_cache(packaged, path)
    cached = lang._identifier_from(path)
    assert [cached.rank(text) for text in SAMPLES] == [packaged.rank(text) for text in SAMPLES]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary folder left


def test_a_broken_cache_file_is_rebuilt_and_an_unwritable_folder_is_no_error(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from crosswire.text import lang

    monkeypatch.setenv("CROSSWIRE_CACHE", str(tmp_path))
    path = lang._cached_model_path()
    path.mkdir()
    (path / "ptc.npy").write_bytes(b"\x93NUMPY half a file")
    loaded = lang._load_identifier.__wrapped__()  # the function under its one-per-process cache
    assert loaded.classify(SAMPLES[1])[0] == "id"
    assert lang._identifier_from(path).rank(SAMPLES[1]) == loaded.rank(SAMPLES[1])
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    lang._write_cache(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True), blocked / "model")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, blocked.name])
