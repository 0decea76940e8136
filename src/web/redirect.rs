//! Where a page may send the browser back to (`next=` of the sign-in page and of the language and
//! theme switches): only a path of this site, judged as the browser itself will read it.
//!
//! A browser does not read a `Location` as written: the WHATWG URL parser drops tabs and line
//! breaks anywhere, reads `\` as `/` in http(s) URLs and resolves `.` and `..` segments, so
//! `/\t/evil.example/`, `/\evil` and `/.//evil` all become `//evil...`, another host. The same
//! parser (the `url` crate) reads `next` here against a fixed base, and only what stays on that
//! origin is kept, written back as the parser normalised it.

use url::Url;

/// Longer `next` values are not kept: a real page of the site is far shorter, and a header this
/// long would only be a way to make answers large.
const MAX_NEXT_BYTES: usize = 2048;

/// A base that is never a real host (`.invalid`, RFC 2606): only its origin matters.
const BASE: &str = "http://baqylau.invalid/";

/// The path (and query) of this site that `next` names, normalised as a browser reads it; `/`
/// for anything else: another host or scheme, control characters, a backslash, or too long.
pub fn local_path(next: Option<&str>) -> String {
    next.and_then(parse_local).unwrap_or_else(|| "/".to_owned())
}

fn parse_local(next: &str) -> Option<String> {
    // Refused before parsing rather than normalised: no page of ours has them, and a value that
    // needs the browser's clean-up to mean something is an attempt, not a link.
    let has_odd_char = next.chars().any(|c| c.is_control() || c == '\\');
    if next.len() > MAX_NEXT_BYTES || !next.starts_with('/') || has_odd_char {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let mut local = url.path().to_owned();
    if let Some(query) = url.query() {
        local.push('?');
        local.push_str(query);
    }
    // `/.//evil` normalises to the path `//evil`, which a browser would read as a host.
    if local.starts_with("//") {
        return None;
    }
    Some(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_site_are_kept_with_their_query() {
        for (next, kept) in [
            ("/", "/"),
            ("/registry/persons", "/registry/persons"),
            (
                "/registry/persons?q=a&page=2",
                "/registry/persons?q=a&page=2",
            ),
            (
                "/reports/crime?from=2025-01-01",
                "/reports/crime?from=2025-01-01",
            ),
            ("/field/today#stop-3", "/field/today"),
            ("/a/../registry", "/registry"),
            ("/https:evil.example", "/https:evil.example"),
            ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),
        ] {
            assert_eq!(local_path(Some(next)), kept, "{next:?}");
        }
    }

    #[test]
    fn text_outside_ascii_is_percent_encoded_so_the_header_is_valid() {
        assert_eq!(
            local_path(Some("/registry/persons?q=Ахмет")),
            "/registry/persons?q=%D0%90%D1%85%D0%BC%D0%B5%D1%82"
        );
        assert_eq!(local_path(Some("/a b")), "/a%20b");
    }

    #[test]
    fn other_hosts_and_schemes_in_every_spelling_become_the_home_page() {
        for next in [
            "//evil.example/",
            "///evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "\t//evil.example/",
            " //evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "/.//evil.example",
            "/./\t/evil.example",
            "/x/..//evil.example",
            "https://evil.example/",
            "https:evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "evil.example",
            "//user@evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}x",
            "/\u{85}x",
            "",
        ] {
            assert_eq!(local_path(Some(next)), "/", "{next:?}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn a_header_line_break_is_refused_not_passed_on() {
        assert_eq!(local_path(Some("/x\r\nSet-Cookie: a=b")), "/");
    }

    #[test]
    fn an_overlong_next_is_refused() {
        let long = format!("/{}", "a".repeat(MAX_NEXT_BYTES));
        assert_eq!(local_path(Some(&long)), "/");
        let fits = format!("/{}", "a".repeat(MAX_NEXT_BYTES - 1));
        assert_eq!(local_path(Some(&fits)), fits);
    }
}
