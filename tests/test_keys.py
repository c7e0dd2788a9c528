"""Names learned from a claim's own words (claims/keys.py): pure Python, no database."""

from claims import keys


def names(text, aliases=None):
    return [(n.key, n.kind) for n in keys.names(text, aliases)]


def test_proper_noun_phrases_with_glue_words_are_one_name():
    assert ("syrian observatory for human rights", "name") in names(
        "The Syrian Observatory for Human Rights said the toll had risen."
    )
    assert ("ahli arab hospital", "name") in names("The strike hit the Al-Ahli Arab Hospital on Tuesday.")


def test_sentence_initial_words_and_calendar_words_are_not_names():
    assert names("Additionally, fighting continued on Monday in March.") == []
    assert names("On Tuesday the talks ended.") == []


def test_countries_and_demonyms_are_the_same_side():
    assert names("Russian forces entered the town.") == [("russia", "country")]
    assert names("Troops from Russia entered the town.") == [("russia", "country")]
    assert ("sudan", "country") in names("The Sudanese army withdrew.")
    assert ("ukraine", "country") in names("Ukrainian troops held the line.")


def test_populated_places_come_from_the_packaged_gazetteer():
    assert ("bakhmut", "city") in names("Fighting continued in Bakhmut.")
    assert ("hama", "city") in names("The 2024 Hama offensive began.")
    assert ("homs", "city") in names("The 2024 Homs offensive began.")


def test_spellings_of_one_city_share_a_key():
    spellings = ["El Fasher", "El-Fasher", "Al Fasher", "el-Fasher"]
    assert {keys.normalise(s) for s in spellings} == {"fasher"}


def test_possessives_and_hyphenated_modifiers_end_a_name():
    found = [k for k, _ in names("an explosion at Gaza's Al-Ahli hospital in the Hamas-ruled enclave")]
    assert found == ["gaza", "ahli", "hamas"]


def test_abbreviations_defined_in_the_text_become_aliases():
    text = "Fighters of Hay'at Tahrir al-Sham (HTS) and the Rapid Support Forces (RSF) advanced."
    defined = keys.definitions(text)
    assert defined == {"HTS": "hay'at tahrir al sham", "RSF": "rapid support"}
    assert names("HTS entered the town.", defined) == [("hay'at tahrir al sham", "name")]


def test_a_bracketed_word_that_is_not_an_abbreviation_defines_nothing():
    assert keys.definitions("The statement was read on state television (AFP).") == {}


def test_claim_keys_are_short_prefixed_strings():
    got = keys.claim_keys(entities={"wagner"}, places=frozenset({"bakhmut"}), actions={"control"},
                          counts={"killed"}, dates={"2023-05-20"}, numbers={"224"})  # fmt: skip
    assert got == {"e:wagner", "p:bakhmut", "a:control", "c:killed", "d:2023-05-20", "n:224"}


def test_a_hyphenated_modifier_ends_a_name():
    found = names("The Church-run Saint Mary Clinic in the Kremlin-held Donetsk was hit.")
    assert ("saint mary clinic", "name") in found
    assert not any(key.startswith(("church", "kremlin held")) and " " in key for key, _ in found)


def test_claims_opening_a_sentence_is_not_a_name():
    assert [key for key, _ in names("Claims of Maute victory were denied by the army.")] == ["maute"]


def _places_with_cache_dir(monkeypatch, directory) -> frozenset[str]:
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(directory))
    keys.places.cache_clear()
    try:
        return keys.places()
    finally:
        keys.places.cache_clear()


def test_the_place_names_are_cached_on_disk_and_read_back_unchanged(monkeypatch, tmp_path):
    built = keys._build_places()
    first = _places_with_cache_dir(monkeypatch, tmp_path)
    [cached] = tmp_path.iterdir()
    assert first == built and cached.name.startswith("places-")
    assert _places_with_cache_dir(monkeypatch, tmp_path) == built  # read from the file this time
    assert "aleppo" in built and "hospital" not in built


def test_a_cache_file_cut_short_is_built_again(monkeypatch, tmp_path):
    _places_with_cache_dir(monkeypatch, tmp_path)
    [cached] = tmp_path.iterdir()
    lines = cached.read_text(encoding="utf-8").split("\n")
    cached.write_text("\n".join(lines[: len(lines) // 2]), encoding="utf-8")
    assert _places_with_cache_dir(monkeypatch, tmp_path) == keys._build_places()
    assert len(cached.read_text(encoding="utf-8").split("\n")) == len(lines)  # and written whole again


def test_an_empty_cache_dir_setting_switches_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert _places_with_cache_dir(monkeypatch, "") == keys._build_places()
    assert list(tmp_path.iterdir()) == []
