"""Pinyin initials and matching (Django-free)."""

from weijian.orgs.search import initials, matches


def test_initials_of_a_hospital_name():
    # 示(shì) 范(fàn) 区(qū) 人(rén) 民(mín) 医(yī) 院(yuàn)
    assert initials("示范区人民医院") == "sfqrmyy"


def test_initials_read_polyphonic_characters_as_the_phrase_does():
    # 重庆 is chóng qìng, not zhòng; 长沙 is cháng shā
    assert initials("重庆") == "cq"
    assert initials("长沙") == "cs"


def test_latin_letters_and_digits_stay_punctuation_goes():
    assert initials("内科ICU 2病区") == "nkicu2bq"
    assert initials("（东城）卫生院") == "dcwsy"


def test_matching_by_name_part_initials_or_code_text():
    assert matches("人民", "示范区人民医院")
    assert matches("rmyy", "示范区人民医院")
    assert matches("RMYY", "示范区人民医院")  # case does not matter
    assert matches("rmyy", "", "RMYY")  # a code is a text like any other
    assert not matches("zyyy", "示范区人民医院")  # 中医医院's initials
    assert matches("", "anything")  # no query keeps everything


def test_a_query_with_spaces_still_matches_initials():
    assert matches("rm yy", "示范区人民医院")
