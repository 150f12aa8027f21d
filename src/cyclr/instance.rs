//! Where a Cyclr instance lives: a region name or a base URL.

use url::Url;

/// Cyclr's public regions and their API domains.
pub const REGIONS: &[(&str, &str)] = &[
    ("us", "https://api.cyclr.com"),
    ("us2", "https://api.us2.cyclr.com"),
    ("uk", "https://api.cyclr.uk"),
    ("eu", "https://api.eu.cyclr.com"),
    ("apac", "https://api.apac.cyclr.com"),
];

/// Resolves `us`, `us2`, `uk`, `eu`, `apac`, a base URL (`https://api.example.com`), or a bare
/// host name (`api.example.com`, taken as https) to the instance's base URL. The error says
/// what is wrong with `input`, in words fit for any face.
pub fn resolve_instance(input: &str) -> Result<Url, String> {
    let input = input.trim();
    let shown = crate::text::inert(input);
    if input.is_empty() {
        return Err("the instance is empty: give a region (us, us2, uk, eu) or a base URL".into());
    }
    if let Some((_, url)) = REGIONS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(input))
    {
        return Url::parse(url).map_err(|e| e.to_string());
    }
    let candidate = if input.contains("://") {
        input.to_string()
    } else if !input.contains(char::is_whitespace) && (input.contains('.') || input.contains(':')) {
        format!("https://{input}")
    } else {
        return Err(format!(
            "unknown instance '{shown}': use a region (us, us2, uk, eu) or a base URL such as https://api.cyclr.com"
        ));
    };
    let url = Url::parse(&candidate).map_err(|e| format!("invalid instance URL '{shown}': {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "invalid instance URL '{shown}': the scheme must be http or https"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid instance URL '{shown}': it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!(
            "invalid instance URL '{shown}': give only scheme, host, port and path"
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_urls_and_hosts() {
        assert_eq!(
            resolve_instance("UK").unwrap().as_str(),
            "https://api.cyclr.uk/"
        );
        assert_eq!(
            resolve_instance("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            resolve_instance("api.example.com").unwrap().as_str(),
            "https://api.example.com/"
        );
    }

    #[test]
    fn rejects_garbage_with_clear_messages() {
        for bad in [
            "",
            "mars",
            "ftp://x.y",
            "http://",
            "::::",
            "https://a b",
            "http://x.y/?q=1",
            "\u{1b}[2J",
        ] {
            let err = resolve_instance(bad).unwrap_err();
            assert!(err.contains("instance"), "{bad}: {err}");
            assert!(!err.contains('\u{1b}'));
        }
    }
}
