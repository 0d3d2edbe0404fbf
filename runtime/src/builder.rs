//! Client configuration, validated once by [`ClientBuilder::build`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use http::HeaderValue;
use url::Url;
use zeroize::Zeroizing;

use crate::certificates::{DEFAULT_REFRESH_INTERVAL, Refresher};
use crate::client::{Client, Inner};
use crate::crypto::{ApiV3Key, Backend, DecryptingKey, PlatformCertificate, PrivateDer, SigningKey, VerifyingKey};
use crate::error::{ConfigError, Error};
use crate::retry::RetryPolicy;
use crate::signing::MerchantSigner;
use crate::verify::VerifyingKeys;

/// The gateway's primary host.
pub const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com/";

/// The backup host used after connection failures when fail-over is enabled with
/// [`ClientBuilder::backup_host`].
pub const DEFAULT_BACKUP_BASE_URL: &str = "https://api2.wechatpay.cn/";

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one whole call, answer body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Idle pooled connections are closed after this long: below the gateway's ~8 s.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Default cap on an answer body.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// Where a key comes from: PEM text, or a PEM file read at `build()`.
#[derive(Clone)]
enum Pem {
    Text(Zeroizing<String>),
    File(PathBuf),
}

impl Pem {
    fn read(&self, what: &'static str) -> Result<Zeroizing<String>, ConfigError> {
        match self {
            Pem::Text(text) => Ok(text.clone()),
            Pem::File(path) => std::fs::read_to_string(path).map(Zeroizing::new).map_err(|source| ConfigError::Read {
                what,
                path: path.clone(),
                source,
            }),
        }
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pem::Text(_) => f.debug_tuple("Text").field(&Redacted).finish(),
            Pem::File(path) => f.debug_tuple("File").field(path).finish(),
        }
    }
}

/// Configures a [`Client`]. Every problem is reported by [`build`](Self::build), never
/// later and never as a panic.
///
/// ```no_run
/// # fn main() -> Result<(), wechat_endpoint::Error> {
/// let client = wechat_endpoint::Client::builder()
///     .mchid("1900009191")
///     .merchant_serial("5157F09EFDC096DE15EBE81A47057A7232F1B8E1")
///     .private_key_file("apiclient_key.pem")
///     .public_key_file("PUB_KEY_ID_0119000091912025112800000000000001", "pub_key.pem")
///     .build()?;
/// # Ok(()) }
/// ```
///
/// Its `Debug` shows which keys are set, never their contents.
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    mchid: Option<String>,
    merchant_serial: Option<String>,
    private_key: Option<Pem>,
    public_key: Option<(String, Pem)>,
    certificates: Vec<Pem>,
    apiv3_key: Option<Zeroizing<String>>,
    certificate_refresh: Option<bool>,
    certificate_refresh_interval: Duration,
    base_url: Option<String>,
    backup_base_url: Option<String>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
    backend: Backend,
    max_answer_bytes: usize,
}

/// Written by hand so that no key reaches a log through a dependency's `Debug` (such as
/// `Zeroizing`'s, which prints what it holds).
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("mchid", &self.mchid)
            .field("merchant_serial", &self.merchant_serial)
            .field("private_key", &self.private_key)
            .field("public_key", &self.public_key)
            .field("certificates", &self.certificates)
            .field("apiv3_key", &self.apiv3_key.as_ref().map(|_| Redacted))
            .field("certificate_refresh", &self.certificate_refresh)
            .field("certificate_refresh_interval", &self.certificate_refresh_interval)
            .field("base_url", &self.base_url.as_deref().map(without_credentials))
            .field("backup_base_url", &self.backup_base_url.as_deref().map(without_credentials))
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("http", &self.http.as_ref().map(|_| "reqwest::Client"))
            .field("backend", &self.backend)
            .field("max_answer_bytes", &self.max_answer_bytes)
            .finish()
    }
}

/// Stands for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            mchid: None,
            merchant_serial: None,
            private_key: None,
            public_key: None,
            certificates: Vec::new(),
            apiv3_key: None,
            certificate_refresh: None,
            certificate_refresh_interval: DEFAULT_REFRESH_INTERVAL,
            base_url: None,
            backup_base_url: None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent_suffix: None,
            http: None,
            backend: Backend::default(),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub mod env {
    /// The merchant id.
    pub const MCHID: &str = "WECHATPAY_MCHID";
    /// The merchant API certificate serial.
    pub const MERCHANT_SERIAL: &str = "WECHATPAY_MERCHANT_SERIAL";
    /// Path to the merchant private key PEM.
    pub const PRIVATE_KEY: &str = "WECHATPAY_PRIVATE_KEY";
    /// Path to the WeChat Pay public key PEM.
    pub const PUBLIC_KEY: &str = "WECHATPAY_PUBLIC_KEY";
    /// The WeChat Pay public key's `PUB_KEY_ID_…`.
    pub const PUBLIC_KEY_ID: &str = "WECHATPAY_PUBLIC_KEY_ID";
    /// The base URL (optional).
    pub const BASE_URL: &str = "WECHATPAY_BASE_URL";
    /// The APIv3 key, for callbacks and platform certificates (optional).
    pub const APIV3_KEY: &str = "WECHATPAY_APIV3_KEY";
}

impl ClientBuilder {
    /// A builder with nothing set and the default timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder from the environment: `WECHATPAY_MCHID`, `WECHATPAY_MERCHANT_SERIAL`,
    /// `WECHATPAY_PRIVATE_KEY` (path to PEM), `WECHATPAY_PUBLIC_KEY` (path to PEM),
    /// `WECHATPAY_PUBLIC_KEY_ID` and, optionally, `WECHATPAY_BASE_URL`.
    ///
    /// A missing required variable is an error; the builder can still be adjusted
    /// before [`build`](Self::build).
    pub fn from_env() -> Result<Self, Error> {
        fn var(name: &'static str) -> Result<Option<String>, ConfigError> {
            match std::env::var(name) {
                Ok(v) if v.trim().is_empty() => Ok(None),
                Ok(v) => Ok(Some(v.trim().to_owned())),
                Err(std::env::VarError::NotPresent) => Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => {
                    Err(ConfigError::Env { var: name, problem: "not valid UTF-8".into() })
                }
            }
        }
        fn required(name: &'static str) -> Result<String, ConfigError> {
            var(name)?.ok_or(ConfigError::Env { var: name, problem: "not set".into() })
        }
        let mut builder = ClientBuilder::new()
            .mchid(required(env::MCHID)?)
            .merchant_serial(required(env::MERCHANT_SERIAL)?)
            .private_key_file(required(env::PRIVATE_KEY)?)
            .public_key_file(required(env::PUBLIC_KEY_ID)?, required(env::PUBLIC_KEY)?);
        if let Some(url) = var(env::BASE_URL)? {
            builder = builder.base_url(url);
        }
        if let Some(key) = var(env::APIV3_KEY)? {
            builder = builder.apiv3_key(key);
        }
        Ok(builder)
    }

    /// The merchant id (`mchid`).
    pub fn mchid(mut self, mchid: impl Into<String>) -> Self {
        self.mchid = Some(mchid.into());
        self
    }

    /// The serial of the merchant API certificate (`serial_no` in `Authorization`).
    pub fn merchant_serial(mut self, serial: impl Into<String>) -> Self {
        self.merchant_serial = Some(serial.into());
        self
    }

    /// The merchant API private key as PEM text, PKCS#8 or PKCS#1, RSA-2048.
    pub fn private_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.private_key = Some(Pem::Text(Zeroizing::new(pem.into())));
        self
    }

    /// The merchant API private key from a PEM file (`apiclient_key.pem`), read at
    /// `build()`.
    pub fn private_key_file(mut self, path: impl AsRef<Path>) -> Self {
        self.private_key = Some(Pem::File(path.as_ref().to_owned()));
        self
    }

    /// The WeChat Pay public key (PEM text) and its `PUB_KEY_ID_…`: public-key mode.
    pub fn public_key_pem(mut self, id: impl Into<String>, pem: impl Into<String>) -> Self {
        self.public_key = Some((id.into(), Pem::Text(Zeroizing::new(pem.into()))));
        self
    }

    /// The WeChat Pay public key from a PEM file, and its `PUB_KEY_ID_…`.
    pub fn public_key_file(mut self, id: impl Into<String>, path: impl AsRef<Path>) -> Self {
        self.public_key = Some((id.into(), Pem::File(path.as_ref().to_owned())));
        self
    }

    /// Adds a platform certificate (PEM text); its serial is read from it. With a public
    /// key too, answers signed by either are accepted (a migration).
    pub fn platform_certificate_pem(mut self, pem: impl Into<String>) -> Self {
        self.certificates.push(Pem::Text(Zeroizing::new(pem.into())));
        self
    }

    /// Adds a platform certificate from a PEM file.
    pub fn platform_certificate_file(mut self, path: impl AsRef<Path>) -> Self {
        self.certificates.push(Pem::File(path.as_ref().to_owned()));
        self
    }

    /// The APIv3 key (32 characters, set on the merchant platform): decrypts callback
    /// resources and platform certificates.
    pub fn apiv3_key(mut self, key: impl Into<String>) -> Self {
        self.apiv3_key = Some(Zeroizing::new(key.into()));
        self
    }

    /// Whether platform certificates are downloaded from `/v3/certificates` (with the
    /// APIv3 key), refreshed in the background, and refreshed once (rate-limited) when
    /// an answer names an unknown serial. Default: on when an APIv3 key is set and no
    /// public key is; set it on a client with a public key for a migration, where
    /// answers may be signed by either.
    pub fn certificate_refresh(mut self, enabled: bool) -> Self {
        self.certificate_refresh = Some(enabled);
        self
    }

    /// Time between background certificate refreshes; default 6 h.
    pub fn certificate_refresh_interval(mut self, interval: Duration) -> Self {
        self.certificate_refresh_interval = interval;
        self
    }

    /// The gateway's base URL; default `https://api.mch.weixin.qq.com/`. Plain `http`
    /// is accepted for loopback hosts only.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Fails over to the backup host `https://api2.wechatpay.cn/` when a connection to
    /// the primary host cannot be opened. Off by default.
    pub fn backup_host(self) -> Self {
        self.backup_base_url(DEFAULT_BACKUP_BASE_URL)
    }

    /// Fails over to `url` when a connection to the primary host cannot be opened (only
    /// then: an answer from the primary, even a `5xx`, is retried there). Its path must
    /// equal the primary base URL's path, so the signed target is the same.
    pub fn backup_base_url(mut self, url: impl Into<String>) -> Self {
        self.backup_base_url = Some(url.into());
        self
    }

    /// How failed calls are retried; default [`RetryPolicy::default`]: three tries for
    /// idempotent calls. [`RetryPolicy::none`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed to open a connection; default 5 s. Not applied to a caller-supplied
    /// `reqwest::Client`, which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole call, answer body included; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Text appended to the `User-Agent` (`wechat-endpoint/<version> (<os>; <arch>)
    /// rustc/<version> <suffix>`), e.g. your application's name and version.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sends through this `reqwest::Client` instead of one built here: to share a
    /// connection pool or set proxies and TLS roots.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The crypto backend; default aws-lc when compiled in.
    pub fn crypto_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The largest answer body accepted, enforced while reading; default 8 MiB.
    pub fn max_answer_bytes(mut self, limit: usize) -> Self {
        self.max_answer_bytes = limit;
        self
    }

    /// Checks everything and builds the client: keys are parsed here, once.
    pub fn build(self) -> Result<Client, Error> {
        let mchid = self.mchid.ok_or(ConfigError::Missing("the merchant id (mchid)"))?;
        check_token("the merchant id (mchid)", &mchid, |c| c.is_ascii_alphanumeric())?;
        let serial = self.merchant_serial.ok_or(ConfigError::Missing("the merchant certificate serial"))?;
        check_token("the merchant certificate serial", &serial, |c| c.is_ascii_alphanumeric())?;

        let private_key = self.private_key.ok_or(ConfigError::Missing("the merchant private key"))?;
        let private_key = private_key.read("the merchant private key")?;
        let private_key_error = |e: crate::crypto::CryptoError| ConfigError::Invalid {
            what: "the merchant private key",
            problem: e.to_string(),
        };
        let private_der = PrivateDer::from_pem(&private_key).map_err(private_key_error)?;
        let key = SigningKey::from_private_der(&private_der, self.backend).map_err(private_key_error)?;
        let decrypting = DecryptingKey::from_private_der(&private_der, self.backend).map_err(private_key_error)?;
        drop(private_der);
        let signer = MerchantSigner::new(mchid, serial, key);

        let mut keys = VerifyingKeys::new();
        if let Some((id, pem)) = &self.public_key {
            check_token("the WeChat Pay public key id", id, |c| c.is_ascii_alphanumeric() || c == '_')?;
            if !id.starts_with("PUB_KEY_ID_") {
                return Err(invalid("the WeChat Pay public key id", format!("`{id}` does not start with PUB_KEY_ID_")));
            }
            let pem = pem.read("the WeChat Pay public key")?;
            let key = VerifyingKey::from_pem(&pem, self.backend)
                .map_err(|e| ConfigError::Invalid { what: "the WeChat Pay public key", problem: e.to_string() })?;
            keys.set_public_key(id.clone(), key);
        }
        for pem in &self.certificates {
            let pem = pem.read("a platform certificate")?;
            let cert = PlatformCertificate::from_pem(&pem, self.backend)
                .map_err(|e| ConfigError::Invalid { what: "a platform certificate", problem: e.to_string() })?;
            keys.insert_certificate(cert);
        }
        let refresh = self.certificate_refresh.unwrap_or(self.apiv3_key.is_some() && self.public_key.is_none());
        if refresh && self.apiv3_key.is_none() {
            return Err(ConfigError::Missing("the APIv3 key, which certificate refresh needs").into());
        }
        if refresh && self.certificate_refresh_interval < Duration::from_secs(1) {
            return Err(invalid("the certificate refresh interval", "under a second".into()));
        }
        if keys.is_empty() && !refresh {
            return Err(ConfigError::Missing(
                "a verifying key: the WeChat Pay public key (with its PUB_KEY_ID_) or a platform certificate",
            )
            .into());
        }

        let apiv3_key = self
            .apiv3_key
            .as_deref()
            .map(|k| ApiV3Key::new(k))
            .transpose()
            .map_err(|problem| invalid("the APIv3 key", problem))?;
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let backup_origin = match &self.backup_base_url {
            None => None,
            Some(text) => {
                let backup = parse_base_url(text)?;
                if backup.path() != base_url.path() {
                    return Err(invalid(
                        "the backup base URL",
                        format!("its path `{}` differs from the base URL's `{}`", backup.path(), base_url.path()),
                    ));
                }
                Some(backup.origin().ascii_serialization())
            }
        };
        let user_agent = user_agent(self.user_agent_suffix.as_deref())?;
        let wechatpay_serial = keys
            .public_key_id()
            .map(HeaderValue::from_str)
            .transpose()
            .map_err(|_| invalid("the WeChat Pay public key id", "not a valid header value".into()))?;

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(ConfigError::Http)?,
        };
        if self.timeout.is_zero() {
            return Err(invalid("the timeout", "zero".into()));
        }
        Ok(Client::from_inner(Arc::new(Inner {
            http,
            origin: base_url.origin().ascii_serialization(),
            base_path: base_url.path().to_owned(),
            signer,
            keys: RwLock::new(Arc::new(keys)),
            backup_origin,
            apiv3_key,
            backend: self.backend,
            decrypting,
            refresher: refresh.then(|| Refresher::new(self.certificate_refresh_interval)),
            retry: self.retry,
            user_agent,
            wechatpay_serial,
            timeout: self.timeout,
            max_answer_bytes: self.max_answer_bytes,
        })))
    }
}

fn invalid(what: &'static str, problem: String) -> Error {
    ConfigError::Invalid { what, problem }.into()
}

fn check_token(what: &'static str, value: &str, allowed: impl Fn(char) -> bool) -> Result<(), Error> {
    if value.is_empty() {
        return Err(invalid(what, "it is empty".into()));
    }
    if let Some(c) = value.chars().find(|&c| !allowed(c)) {
        return Err(invalid(what, format!("`{value}` contains `{}`", c.escape_default())));
    }
    Ok(())
}

/// `text` with any `user:password@` replaced by `[redacted]@`, for messages.
fn without_credentials(text: &str) -> String {
    match text.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://[redacted]{}", &rest[at..]),
                None => text.to_owned(),
            }
        }
        None => text.to_owned(),
    }
}

fn parse_base_url(text: &str) -> Result<Url, Error> {
    const WHAT: &str = "the base URL";
    let url = Url::parse(text);
    // Messages quote the URL without any credentials it carries.
    let shown = without_credentials(text);
    let text = shown.as_str();
    let url = url.map_err(|e| invalid(WHAT, format!("`{text}`: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(invalid(WHAT, format!("`{text}`: plain http is allowed for loopback hosts only")));
        }
        other => return Err(invalid(WHAT, format!("`{text}`: scheme `{other}` is not http(s)"))),
    }
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(invalid(WHAT, format!("`{text}` has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(WHAT, format!("`{text}`: no query, fragment or credentials allowed")));
    }
    Ok(url)
}

fn user_agent(suffix: Option<&str>) -> Result<HeaderValue, Error> {
    let mut ua = format!(
        "wechat-endpoint/{} ({}; {}) rustc/{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("WECHAT_ENDPOINT_RUSTC_VERSION"),
    );
    if let Some(suffix) = suffix.filter(|s| !s.trim().is_empty()) {
        ua.push(' ');
        ua.push_str(suffix.trim());
    }
    HeaderValue::from_str(&ua)
        .map_err(|_| invalid("the user agent suffix", format!("`{ua}` is not a valid header value")))
}
