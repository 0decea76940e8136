//! The rule for a new password (issue 13 item 12, NIST SP 800-63B section 3.1.1.2): at least
//! [`MIN_CHARS`] characters, and not one of the passwords seen most often in leaks, nor such a
//! password with digits or symbols added before or after it (`Qwerty2024!`, `!!password123`),
//! the usual way a short favourite is stretched to a length rule. No rules on character classes:
//! they push people to the same predictable patterns.
//!
//! The list and where it comes from: `password/README.md`.

/// Fewest characters of a new password.
pub const MIN_CHARS: usize = 12;

/// The common passwords, lower-cased, one a line.
const COMMON: &str = include_str!("password/common-passwords.txt");

/// Why a new password is refused: the catalogue key of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// A common password, or one with only digits or symbols around it.
    Common,
}

impl PasswordProblem {
    /// Catalogue key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password-too-short",
            PasswordProblem::Common => "password-common",
        }
    }
}

/// Checks a new password against the rule.
pub fn check_new_password(password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if is_common(password) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// Whether the password, or its middle without digits, symbols and spaces at either end, is on
/// the list (case does not matter).
fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| {
        c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
    });
    is_listed(&lower) || (!core.is_empty() && is_listed(core))
}

/// A plain scan: new passwords are set a few times a day, and 0.8 MB read once costs well under
/// a millisecond in a release build, less than the Argon2 hash that follows.
fn is_listed(lower: &str) -> bool {
    COMMON.lines().any(|line| line == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_of_eleven_characters_is_too_short_and_twelve_are_enough() {
        assert_eq!(
            check_new_password("x7#Lq9!vR2m"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password("x7#Lq9!vR2mZ"), Ok(()));
        assert_eq!(
            check_new_password("ҚазақстанЖол"),
            Ok(()),
            "characters, not bytes, are counted"
        );
        assert_eq!(check_new_password(""), Err(PasswordProblem::TooShort));
    }

    #[test]
    fn listed_passwords_are_refused_in_any_case() {
        for password in [
            "qwerty123456",
            "QWERTY123456",
            "1q2w3e4r5t6y",
            "ятебялюблю12",
            "123456789012",
        ] {
            assert_eq!(
                check_new_password(password),
                Err(PasswordProblem::Common),
                "{password}"
            );
        }
    }

    #[test]
    fn a_common_word_padded_with_digits_or_symbols_is_refused() {
        for password in [
            "Password2024!",
            "!!password123",
            "Kazakhstan2026",
            "2025-dragon-!!",
            "Iloveyou 12345",
        ] {
            assert_eq!(
                check_new_password(password),
                Err(PasswordProblem::Common),
                "{password}"
            );
        }
    }

    #[test]
    fn long_unusual_passwords_and_passphrases_pass() {
        for password in [
            "baqylau-demo",
            "long-enough-1",
            "жолаушы тракторда ұйықтады",
            "Tobyl river ice 4am",
            "correct horse battery staple",
        ] {
            assert_eq!(check_new_password(password), Ok(()), "{password}");
        }
    }

    #[test]
    fn the_list_is_lower_case_one_password_a_line() {
        assert!(COMMON.lines().count() > 90_000);
        assert!(
            COMMON
                .lines()
                .all(|l| l == l.to_lowercase() && !l.is_empty())
        );
        assert!(is_listed("password") && is_listed("kazakhstan"));
    }
}
