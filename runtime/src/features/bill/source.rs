//! Where bill files may be fetched from: under the base URLs the client is configured
//! for, since the file request carries a signed `Authorization`.

use super::DownloadError;
use super::error::response_error;
use crate::pipeline::error::Error;
use crate::pipeline::stream::Source;

/// `scheme://host[:port]` of `url`, port only when not the scheme's default; also for
/// schemes whose origin the URL standard leaves opaque (`ftp:`, `file:`).
fn origin_text(url: &reqwest::Url) -> String {
    let mut text = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        text.push_str(&format!(":{port}"));
    }
    text
}

/// Parses a `download_url` and checks it is under one of `sources`: same scheme, host
/// and port, and a path under the source's path.
pub(super) fn download_url(text: &str, sources: &[Source]) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(text).map_err(|e| response_error("download_url", format!("is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(response_error(
            "download_url",
            format!("carries credentials ahead of its host `{}`", url.host_str().unwrap_or_default()),
        ));
    }
    let origin = url.origin();
    let source = sources.iter().find(|source| origin.is_tuple() && origin.ascii_serialization() == source.origin);
    let Some(source) = source else {
        let error = DownloadError::UnconfiguredOrigin { origin: origin_text(&url) };
        return Err(Error::Download { source: error, written: 0, request_id: None, tries: 0 });
    };
    if !url.path().starts_with(&source.path) {
        return Err(response_error("download_url", format!("has a path outside the base path `{}`", source.path)));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(urls: &[&str]) -> Vec<Source> {
        urls.iter().map(|url| Source::new(&url::Url::parse(url).unwrap())).collect()
    }

    fn refused_origin(url: &str, sources: &[Source]) -> String {
        match download_url(url, sources) {
            Err(Error::Download { source: DownloadError::UnconfiguredOrigin { origin }, written: 0, .. }) => origin,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn download_urls_are_accepted_only_under_the_configured_base_urls() {
        let gateway = sources(&["https://api.mch.weixin.qq.com/", "https://api2.wechatpay.cn/"]);
        for good in [
            "https://api.mch.weixin.qq.com/v3/billdownload/file?token=x",
            "https://api2.wechatpay.cn/v3/billdownload/file?token=x",
            // The same host and port, as the URL standard normalises them.
            "https://API.Mch.Weixin.QQ.com/v3/billdownload/file?token=x",
            "https://api.mch.weixin.qq.com:443/v3/billdownload/file?token=x",
            "HTTPS://api.mch.weixin.qq.com/v3/billdownload/file?token=x",
        ] {
            assert!(download_url(good, &gateway).is_ok(), "{good}");
        }
        for (bad, origin) in [
            ("https://evil.example/v3/billdownload/file?token=x", "https://evil.example"),
            (
                "https://api.mch.weixin.qq.com.evil.example/v3/billdownload/file",
                "https://api.mch.weixin.qq.com.evil.example",
            ),
            ("https://api.mch.weixin.qq.com./v3/billdownload/file", "https://api.mch.weixin.qq.com."),
            // Another port, another scheme.
            ("https://api.mch.weixin.qq.com:8443/v3/billdownload/file", "https://api.mch.weixin.qq.com:8443"),
            ("http://api.mch.weixin.qq.com/v3/billdownload/file", "http://api.mch.weixin.qq.com"),
            ("ftp://api.mch.weixin.qq.com/v3/billdownload/file", "ftp://api.mch.weixin.qq.com"),
            ("wss://api.mch.weixin.qq.com/v3/billdownload/file", "wss://api.mch.weixin.qq.com"),
            // Look-alike hosts: a Cyrillic `а`, an IP address, loopback in any build.
            ("https://\u{430}pi.mch.weixin.qq.com/v3/billdownload/file", "https://xn--pi-6kc.mch.weixin.qq.com"),
            ("https://203.0.113.9/v3/billdownload/file", "https://203.0.113.9"),
            ("http://127.0.0.1:8080/v3/billdownload/file?token=x", "http://127.0.0.1:8080"),
            ("http://localhost/x", "http://localhost"),
        ] {
            assert_eq!(refused_origin(bad, &gateway), origin);
        }

        // Credentials ahead of the host are refused wherever the host is, and not shown.
        for bad in [
            "https://api.mch.weixin.qq.com@evil.example/v3/billdownload/file",
            "https://user:SECRET@api.mch.weixin.qq.com/v3/billdownload/file",
        ] {
            let error = download_url(bad, &gateway).unwrap_err();
            let text = crate::pipeline::error::chain(&error);
            assert!(
                matches!(&error, Error::Download { source: DownloadError::Response { field: "download_url", .. }, .. }),
                "{error:?}"
            );
            assert!(text.contains("credentials"), "{text}");
            assert!(!text.contains("SECRET") && !text.contains("api.mch.weixin.qq.com@"), "{text}");
        }

        // Loopback http only for a client configured for that very origin.
        let sandbox = sources(&["http://127.0.0.1:8080/"]);
        assert!(download_url("http://127.0.0.1:8080/v3/billdownload/file?token=x", &sandbox).is_ok());
        assert_eq!(refused_origin("http://127.0.0.1:8081/v3/billdownload/file", &sandbox), "http://127.0.0.1:8081");
        assert_eq!(refused_origin("http://localhost:8080/v3/billdownload/file", &sandbox), "http://localhost:8080");
        assert_eq!(refused_origin("https://127.0.0.1:8080/v3/billdownload/file", &sandbox), "https://127.0.0.1:8080");
        assert_eq!(
            refused_origin("https://api.mch.weixin.qq.com/v3/billdownload/file", &sandbox),
            "https://api.mch.weixin.qq.com"
        );

        // A base path is a prefix the path must stay under, dot segments resolved first.
        let proxied = sources(&["https://proxy.example/wechatpay"]);
        assert!(download_url("https://proxy.example/wechatpay/v3/billdownload/file", &proxied).is_ok());
        for bad in [
            "https://proxy.example/v3/billdownload/file",
            "https://proxy.example/wechatpay-other/v3/billdownload/file",
            "https://proxy.example/wechatpay/../v3/billdownload/file",
            "https://proxy.example/wechatpay/%2e%2e/v3/billdownload/file",
        ] {
            let error = download_url(bad, &proxied).unwrap_err();
            assert!(error.to_string().contains("nothing was written"), "{error}");
            assert!(
                crate::pipeline::error::chain(&error).contains("outside the base path `/wechatpay/`"),
                "{bad}: {error:?}"
            );
        }

        for bad in ["not a url", "", "/v3/billdownload/file"] {
            let error = download_url(bad, &gateway).unwrap_err();
            assert!(
                matches!(&error, Error::Download { source: DownloadError::Response { field: "download_url", .. }, .. }),
                "{error:?}"
            );
        }
    }
}
