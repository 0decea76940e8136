//! How the command line writes CSV for a spreadsheet, by the web's rule (issue 16, item 12): the
//! semicolon dialect with decimal commas for Russian- and Kazakh-locale Excel, commas otherwise.
//! The command line has no interface language, so the shell's locale (`LC_ALL`, `LC_MESSAGES`,
//! `LANG`: `ru_RU.UTF-8` is Russian) stands for it; `--dialect` gives the other one.

use clap::ValueEnum;

use crate::i18n::Lang;
use crate::reports::csv_dialect::Dialect;

/// `--dialect`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// `,` and decimal points (English-locale spreadsheets and other programs).
    Comma,
    /// `;` and decimal commas (Russian- and Kazakh-locale Excel).
    Semicolon,
}

/// The language of the shell's locale, the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
/// set (as POSIX orders them); English when none names ru, kk or en.
pub fn locale_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Lang::parse(&value))
        .unwrap_or(Lang::En)
}

/// The dialect asked for, else the locale language's.
pub fn dialect(asked: Option<DialectArg>, lang: Lang) -> Dialect {
    match asked {
        Some(DialectArg::Comma) => Dialect::Comma,
        Some(DialectArg::Semicolon) => Dialect::Semicolon,
        None => Dialect::of_language(lang.code()),
    }
}

/// A report's CSV (written in the comma dialect) in `dialect`, its header's units (`km`, `m`,
/// `h`) in `lang`, as the web's downloads.
pub fn report_csv(csv: &[u8], dialect: Dialect, lang: Lang) -> Vec<u8> {
    crate::reports::csv_dialect::convert(csv, dialect, &|unit| {
        matches!(unit, "km" | "m" | "h").then(|| lang.t(&format!("unit-{unit}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_language() {
        assert_eq!(dialect(None, Lang::Ru), Dialect::Semicolon);
        assert_eq!(dialect(None, Lang::Kk), Dialect::Semicolon);
        assert_eq!(dialect(None, Lang::En), Dialect::Comma);
        assert_eq!(dialect(Some(DialectArg::Comma), Lang::Ru), Dialect::Comma);
        assert_eq!(
            dialect(Some(DialectArg::Semicolon), Lang::En),
            Dialect::Semicolon
        );
    }
}
