//! Natural order of names with numbers in them, as people sort them: МГ-2 before МГ-10 (a plain
//! string comparison puts МГ-10 first because '1' < '2').

use std::cmp::Ordering;

/// Compares `a` and `b` with runs of ASCII digits compared as numbers (leading zeros ignored,
/// then the shorter run first) and the rest case-insensitively, then as written.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (n, rest_x) = split_digits(x);
                let (m, rest_y) = split_digits(y);
                let (n_trim, m_trim) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                let order = n_trim
                    .len()
                    .cmp(&m_trim.len())
                    .then_with(|| n_trim.cmp(m_trim))
                    .then_with(|| n.len().cmp(&m.len()));
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                let order = c.to_lowercase().cmp(d.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

/// The leading run of ASCII digits of `text`, and the rest.
fn split_digits(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_sort_by_their_numbers() {
        let mut names = vec!["МГ-10", "МГ-2", "МГ-1", "мг-3", "МГ-02", "Алга", "МГ-10а"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["Алга", "МГ-1", "МГ-2", "МГ-02", "мг-3", "МГ-10", "МГ-10а"]
        );
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
    }
}
