"""Personal names: cleaning, script, surname/given split, pinyin and an order-free pinyin key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from ..cell_safety import looks_like_formula
from ._text import text

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_NOTE = re.compile(r"\s*[(\[【][^)\]】]*[)\]】]\s*")  # '张伟(已故)', 'Zhang Wei [David]'
_DOTS = re.compile(r"\s*[·・•‧∙⋅]\s*")
_HAN_DOT = re.compile(r"(?<=[\u3400-\u9fff])\s*\.\s*(?=[\u3400-\u9fff])")  # '阿依古丽.买买提'
_SAME_NAME_MARK = re.compile(r"(?<=[\u3400-\u9fff])(\d+|[A-Za-z])$")  # '张伟2', '张伟A'

# Surnames whose reading differs from the character's everyday reading, and compound surnames.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "缪": "miao",
    "覃": "qin",
    "翟": "zhai",
    "黑": "he",
    "长": "chang",
    "都": "du",
    "尉迟": "yuchi",
    "长孙": "zhangsun",
    "欧阳": "ouyang",
    "司马": "sima",
    "诸葛": "zhuge",
    "上官": "shangguan",
    "司徒": "situ",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "夏侯": "xiahou",
    "慕容": "murong",
    "公孙": "gongsun",
    "令狐": "linghu",
    "宇文": "yuwen",
    "澹台": "tantai",
}
COMPOUND_SURNAMES = frozenset(s for s in SURNAME_READINGS if len(s) == 2)

# Common surnames, used to recognise a pinyin surname in a Latin-script name.
_COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤时穆卓古吉缪车项连麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查"
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _ascii_fold(s: str) -> str:
    """'Zhāng Lü' -> 'zhang lu': lower case without diacritics."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def clean_name(s: object) -> str | None:
    """A name as it should be stored: Han names without inner spaces and in simplified characters,
    Latin names trimmed and single-spaced; bracketed notes and same-name marks ('张伟2') dropped.
    None when nothing name-like is left (empty, or digits), and for a formula ('=HYPERLINK(…)'), which
    is no name to clean into another string."""
    t = _INVISIBLE.sub("", text(s))
    if looks_like_formula(t):
        return None
    t = _DOTS.sub("·", _NOTE.sub(" ", t)).strip(" ·")
    if _HAN.search(t):
        t = _t2s().convert(_HAN_DOT.sub("·", re.sub(r"\s+", "", t)))
        t = _SAME_NAME_MARK.sub("", t)
    else:
        t = " ".join(t.split())
    if not t or any(c.isdigit() for c in t) or not any(c.isalpha() for c in t):
        return None
    return t


def name_script(s: object) -> str | None:
    """'han', 'latin', 'mixed' (both, or another script), or None when there are no letters."""
    scripts = set()
    for ch in text(s):
        if _HAN.match(ch):
            scripts.add("han")
        elif ch.isalpha():
            scripts.add("latin" if unicodedata.name(ch, "").startswith("LATIN") else "other")
    if not scripts:
        return None
    return scripts.pop() if scripts in ({"han"}, {"latin"}) else "mixed"


def split_han_name(name: object) -> tuple[str, str] | None:
    """(surname, given) of a Han name, knowing compound surnames ('欧阳修' -> ('欧阳', '修')).
    None for names that are not Han or have no surname (transliterations such as '阿依古丽·买买提')."""
    n = clean_name(name)
    if n is None or name_script(n) != "han" or "·" in n:
        return None
    if len(n) >= 3 and n[:2] in COMPOUND_SURNAMES:
        return n[:2], n[2:]
    return n[:1], n[1:]


def _syllables(han: str) -> str:
    # imported at first use: pypinyin reads its phrase dictionary on import (about 0.4 s), which every
    # dbt step would pay for, since they all load the DuckDB functions and only a few call this one
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(han, v_to_u=True))


def _han_pinyin_parts(name: object) -> list[str] | None:
    """Pinyin of each part of a Han name: [surname, given], or each part of a dotted transliteration."""
    n = clean_name(name)
    if n is None or name_script(n) != "han":
        return None
    parts = split_han_name(n)
    if parts is None:
        return [_ascii_fold(_syllables(p)) for p in n.split("·") if p]
    surname, given = parts
    readings = [SURNAME_READINGS.get(surname) or _syllables(surname)]
    return [_ascii_fold(p) for p in [*readings, _syllables(given)] if p]


def name_pinyin(han_name: object) -> str | None:
    """'曾国藩' -> 'zeng guofan': surname reading, then given name, lower case, no tones, ü as u.
    None when the name is not in Han characters."""
    parts = _han_pinyin_parts(han_name)
    return " ".join(parts) if parts else None


@lru_cache(maxsize=1)
def _known_pinyin_surnames() -> frozenset[str]:
    singles = {SURNAME_READINGS.get(c) or _syllables(c) for c in _COMMON_SURNAMES}
    compounds = {SURNAME_READINGS[c] for c in COMPOUND_SURNAMES}
    return frozenset(_ascii_fold(s) for s in singles | compounds)


def _fold_token(token: str) -> str:
    return re.sub(r"[-'‐‑’.]", "", _ascii_fold(token))


def latin_name_parts(s: object) -> tuple[str, str] | None:
    """(surname, given) of a Latin-script name, lower case, hyphens dropped ('Wei-Ming' -> 'weiming').
    Reads 'SURNAME, Given'; then an all-caps token as the surname ('Wei-Ming ZHANG'); then a leading
    Chinese surname ('Zhang Weiming'); otherwise Western order ('John Smith'). None for one word."""
    n = clean_name(s)
    if n is None or name_script(n) != "latin":
        return None
    if "," in n:
        surname, _, given = n.partition(",")
        parts = (surname.split(), given.split())
    else:
        tokens = n.split()
        if len(tokens) < 2:
            return None
        caps = [i for i, t in enumerate(tokens) if t.isupper() and len(t) > 1]
        if len(caps) == 1:
            i = caps[0]
            parts = ([tokens[i]], tokens[:i] + tokens[i + 1 :])
        elif _fold_token(tokens[0]) in _known_pinyin_surnames():
            parts = ([tokens[0]], tokens[1:])
        else:
            parts = ([tokens[-1]], tokens[:-1])
    surname, given = ("".join(_fold_token(t) for t in p) for p in parts)
    return (surname, given) if surname and given else None


def pinyin_key(name: object) -> str | None:
    """An order-free comparison key: the pinyin of surname and given name, sorted and joined, so that
    'ZHANG Wei', 'Wei Zhang', 'Zhang, Wei', '张伟' and '張偉' all give 'weizhang'."""
    parts = _han_pinyin_parts(name) or latin_name_parts(name)
    if parts:
        return "".join(sorted(parts))
    clean = clean_name(name)  # a guest known by one Latin word ('Weller') is still known by it
    if clean and name_script(clean) == "latin" and len(clean.split()) == 1:
        return _fold_token(clean) or None
    return None
