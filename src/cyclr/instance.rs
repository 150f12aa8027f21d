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

/// When `url` is a Cyclr console or service (browser) domain rather than an API domain, what
/// to use instead. No request is made to find out.
pub fn console_advice(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    let (name, tld) = if let Some(name) = host.strip_suffix(".cyclr.com") {
        (name, "com")
    } else if let Some(name) = host.strip_suffix(".cyclr.uk") {
        (name, "uk")
    } else {
        return None;
    };
    if name == "api" || name.starts_with("api.") {
        return None;
    }
    // Consoles (my.cyclr.com, us2.cyclr.com, eu.cyclr.com, my.cyclr.uk) and service
    // domains ({company}-h.cyclr.com, {company}-h.eu.cyclr.com, {company}-h.cyclr.uk).
    let labels: Vec<&str> = name.split('.').collect();
    let region = match (tld, labels.as_slice()) {
        ("uk", _) => Some("uk"),
        (_, [_, region] | [region]) if ["us2", "eu", "apac"].contains(region) => Some(*region),
        (_, ["my"]) => Some("us"),
        (_, [service]) if service.ends_with("-h") => Some("us"),
        _ => None,
    };
    let what = if labels.first().is_some_and(|l| l.ends_with("-h")) {
        "a Cyclr service domain (used for browser sign-in pages)"
    } else {
        "the Cyclr console"
    };
    Some(
        match region.and_then(|r| REGIONS.iter().find(|(name, _)| *name == r)) {
            Some((region, api)) => format!(
                "{host} looks like {what}, not the API; the API for this region is {api} (--instance {region})"
            ),
            None => format!(
                "{host} is a Cyclr web site, not the API; the API domains are {}",
                REGIONS
                    .iter()
                    .map(|(name, url)| format!("{url} ({name})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    )
}

/// True when `url` points at this machine (where `http://` is fine).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
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
    fn console_and_service_domains_get_the_api_to_use() {
        let advice = |s: &str| console_advice(&resolve_instance(s).unwrap());
        for (host, api) in [
            ("https://my.cyclr.com", "https://api.cyclr.com"),
            ("https://us2.cyclr.com", "https://api.us2.cyclr.com"),
            ("eu.cyclr.com", "https://api.eu.cyclr.com"),
            ("https://my.cyclr.uk", "https://api.cyclr.uk"),
            ("https://acme-h.cyclr.com", "https://api.cyclr.com"),
            ("https://acme-h.eu.cyclr.com", "https://api.eu.cyclr.com"),
            ("https://acme-h.cyclr.uk", "https://api.cyclr.uk"),
        ] {
            let advice = advice(host).unwrap_or_default();
            assert!(advice.contains(api), "{host}: {advice}");
        }
        assert!(
            advice("https://acme-h.cyclr.com")
                .unwrap()
                .contains("service domain")
        );
        assert!(advice("https://my.cyclr.com").unwrap().contains("console"));
        assert!(
            advice("https://docs.cyclr.com")
                .unwrap()
                .contains("not the API")
        );
        for api in [
            "us",
            "eu",
            "uk",
            "https://api.eu.cyclr.com",
            "https://api.example.com",
        ] {
            assert_eq!(advice(api), None, "{api}");
        }
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
