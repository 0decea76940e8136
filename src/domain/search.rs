//! Search folding: case-, diacritic- and script-insensitive matching of names and addresses, the
//! same on SQLite and PostgreSQL (both compare plain lower-case text with `LIKE`).

/// Lower-cases and folds a text: Kazakh letters to their Russian base (ә → а, қ → к, ...),
/// ё → е, Latin diacritics dropped. "Әлиев" and "алиев" fold alike.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            'ё' => 'е',
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ş' | 'š' => 's',
            'ç' | 'č' => 'c',
            'ğ' => 'g',
            'ñ' => 'n',
            'ı' => 'i',
            other => other,
        })
        .collect()
}

/// Latin transliteration of a folded Cyrillic text, so "akhmetov" finds "Ахметов".
pub fn transliterate(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

/// The stored search text of a record: folded Cyrillic, then its transliteration.
pub fn search_text(parts: &[&str]) -> String {
    let folded = fold(&parts.join(" "));
    let latin = transliterate(&folded);
    format!("{folded} | {latin}")
}

/// The `LIKE` pattern for a user's query: folded, with `%`, `_` and `\` escaped.
pub fn like_pattern(query: &str) -> String {
    let folded = fold(query.trim());
    let mut escaped = String::with_capacity(folded.len() + 2);
    escaped.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// The SQLite trigram index's query for a user's query: the folded text as one quoted phrase,
/// which matches exactly the rows containing it. `None` under three characters, where a trigram
/// index cannot help (the list then scans with `LIKE` alone).
pub fn trigram_phrase(query: &str) -> Option<String> {
    let folded = fold(query.trim());
    (folded.chars().count() >= 3).then(|| format!("\"{}\"", folded.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_and_case_fold_to_the_russian_base() {
        assert_eq!(fold("ӘЛИЕВ Қайрат"), "алиев кайрат");
    }

    #[test]
    fn latin_query_matches_transliterated_cyrillic() {
        assert!(search_text(&["Ахметов", "Серік"]).contains("akhmetov serik"));
    }

    #[test]
    fn like_wildcards_in_a_query_are_escaped() {
        assert_eq!(like_pattern(" 50%_x "), "%50\\%\\_x%");
    }

    #[test]
    fn trigram_phrase_quotes_the_folded_query_and_needs_three_letters() {
        assert_eq!(trigram_phrase("  Әли "), Some("\"али\"".to_owned()));
        assert_eq!(trigram_phrase("a\"b"), Some("\"a\"\"b\"".to_owned()));
        assert_eq!(trigram_phrase("ab"), None);
    }
}
