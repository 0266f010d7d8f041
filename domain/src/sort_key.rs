//! The order Chinese readers expect a list of names in: by pinyin (汉语拼音), syllable by
//! syllable, then by tone, as dictionaries and government ledgers sort — not by code point,
//! which puts 重庆 before 安康. One key, computed here and stored beside the name, sorts the
//! same on SQLite and PostgreSQL (plain byte comparison of ASCII).
use pinyin::ToPinyin;

/// Words whose first character is usually read otherwise than its most common reading
/// (多音字 at the start of a place or company name); the rest of a name keeps the common one.
const READINGS: &[(&str, &str)] = &[
    ("重庆", "chong2qing4"),
    ("长安", "chang2an1"),
    ("长江", "chang2jiang1"),
    ("长沙", "chang2sha1"),
    ("长春", "chang2chun1"),
    ("长城", "chang2cheng2"),
    ("厦门", "xia4men2"),
    ("银行", "yin2hang2"),
    ("朝阳", "chao2yang2"),
    ("蚌埠", "beng4bu4"),
];

/// The sort key of a name: each Chinese character as its pinyin with the tone number after it
/// (`北京` → `bei3jing1`), Latin letters lower-cased, digits kept, spaces and punctuation
/// dropped. The tone digit ends each syllable, so `西安` (`xi1an1`) sorts before `先` (`xian1`).
pub fn pinyin_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    let mut rest = name.trim();
    while let Some(c) = rest.chars().next() {
        if let Some((word, reading)) = READINGS.iter().find(|(w, _)| rest.starts_with(w)) {
            out.push_str(reading);
            rest = &rest[word.len()..];
            continue;
        }
        match c.to_pinyin() {
            Some(p) => out.push_str(p.with_tone_num_end()),
            None if c.is_alphanumeric() => {
                // Full-width letters and digits (ＡＢ１２) as their ASCII forms.
                let c = match c as u32 {
                    0xFF10..=0xFF5A => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    _ => c,
                };
                out.extend(c.to_lowercase());
            }
            None => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pinyin_key;

    #[test]
    fn pinyin_order_not_code_points() {
        let mut names = vec!["重庆路改造工程", "北京路项目", "安康物流园"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, ["安康物流园", "北京路项目", "重庆路改造工程"]);
        assert_eq!(pinyin_key("北京"), "bei3jing1");
        assert!(pinyin_key("西安") < pinyin_key("先"));
        assert_eq!(pinyin_key("Ａ-2号 线"), "a2hao4xian4");
    }
}
