//! Client configuration, validated once by [`ClientBuilder::build`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use url::Url;
use zeroize::Zeroizing;

use crate::crypto::signing::MerchantSigner;
use crate::crypto::verify::VerifyingKeys;
use crate::crypto::{ApiV3Key, Backend, PlatformCertificate, PrivateKey, VerifyingKey};
use crate::features::certificates::{DEFAULT_REFRESH_INTERVAL, Refresher};
use crate::pipeline::client::{Client, Inner, KeyRefresh};
use crate::pipeline::error::{ConfigError, Error};
use crate::pipeline::retry::RetryPolicy;
use crate::pipeline::stream::{Source, StreamLimits};

/// The gateway's primary host.
pub const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com/";

/// The backup host used after connection failures when fail-over is enabled with
/// [`ClientBuilder::backup_host`].
pub const DEFAULT_BACKUP_BASE_URL: &str = "https://api2.wechatpay.cn/";

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for each try of a call, response body included; see
/// [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Idle pooled connections are closed after this long: below the gateway's ~8 s.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// Default cap on a bill download, 1 GiB: on the file as received and on the bill once
/// decompressed. A trade bill row (27 columns) is a few hundred bytes, so this is
/// millions of transactions in a day, several times the few hundred MB large merchants'
/// bills run to; a gzip bomb stops here instead of filling the disk.
pub const DEFAULT_MAX_BILL_BYTES: u64 = 1 << 30;
/// Default time a bill download may take from the file request to the verified bill,
/// 10 min: a 1 GiB bill at under 2 MiB/s, while a server that sends a byte now and then
/// to dodge the idle [`timeout`](ClientBuilder::timeout) is cut off.
pub const DEFAULT_BILL_DEADLINE: Duration = Duration::from_secs(10 * 60);

impl Client {
    /// Starts a configuration.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

/// Where a key comes from: PEM text, or a PEM file read at `build()`.
#[derive(Clone)]
enum Pem {
    Text(Zeroizing<String>),
    File(PathBuf),
}

impl Pem {
    /// An environment variable's value: the PEM text itself when it starts with
    /// `-----BEGIN`, else a path to a PEM file.
    fn from_env_value(value: String) -> Self {
        if !value.trim_start().starts_with("-----BEGIN") {
            return Pem::File(PathBuf::from(value));
        }
        let value = Zeroizing::new(value);
        if !value.contains('\n') && value.contains("\\n") {
            // One line with `\n` escapes, as `.env` files and some secret stores hold it.
            return Pem::Text(Zeroizing::new(value.replace("\\n", "\n")));
        }
        Pem::Text(value)
    }

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
///     .wechatpay_public_key_file("PUB_KEY_ID_0119000091912025112800000000000001", "pub_key.pem")
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
    wechatpay_public_key: Option<(String, Pem)>,
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
    max_response_bytes: usize,
    max_bill_bytes: u64,
    bill_deadline: Duration,
    bill_download_from: Vec<String>,
}

/// Written by hand so that no key reaches a log through a dependency's `Debug` (such as
/// `Zeroizing`'s, which prints what it holds).
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("mchid", &self.mchid)
            .field("merchant_serial", &self.merchant_serial)
            .field("private_key", &self.private_key)
            .field("wechatpay_public_key", &self.wechatpay_public_key)
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
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_bill_bytes", &self.max_bill_bytes)
            .field("bill_deadline", &self.bill_deadline)
            .field(
                "bill_download_from",
                &self.bill_download_from.iter().map(|u| without_credentials(u)).collect::<Vec<_>>(),
            )
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
            wechatpay_public_key: None,
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
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_bill_bytes: DEFAULT_MAX_BILL_BYTES,
            bill_deadline: DEFAULT_BILL_DEADLINE,
            bill_download_from: Vec::new(),
        }
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads: all of them.
pub mod env {
    /// The merchant id.
    pub const MCHID: &str = "WECHATPAY_MCHID";
    /// The merchant API certificate serial.
    pub const MERCHANT_SERIAL: &str = "WECHATPAY_MERCHANT_SERIAL";
    /// The merchant private key: a path to its PEM file, or the PEM text itself.
    pub const PRIVATE_KEY: &str = "WECHATPAY_PRIVATE_KEY";
    /// The WeChat Pay public key: a path to its PEM file, or the PEM text itself.
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

    /// A builder from the environment. It reads these variables and no others (their
    /// names are the constants of [`env`](mod@crate::env)):
    ///
    /// | variable | setting | |
    /// | --- | --- | --- |
    /// | `WECHATPAY_MCHID` | [`mchid`](Self::mchid) | required |
    /// | `WECHATPAY_MERCHANT_SERIAL` | [`merchant_serial`](Self::merchant_serial) | required |
    /// | `WECHATPAY_PRIVATE_KEY` | the merchant private key: PEM file path or PEM text | required |
    /// | `WECHATPAY_PUBLIC_KEY` | the WeChat Pay public key: PEM file path or PEM text | required |
    /// | `WECHATPAY_PUBLIC_KEY_ID` | the public key's `PUB_KEY_ID_…` | required |
    /// | `WECHATPAY_BASE_URL` | [`base_url`](Self::base_url) | optional |
    /// | `WECHATPAY_APIV3_KEY` | [`apiv3_key`](Self::apiv3_key) | optional |
    ///
    /// A key variable holding text that starts with `-----BEGIN` is the PEM itself (as
    /// container platforms and secret managers inject it; a one-line value with literal
    /// `\n` escapes is accepted too), anything else is a path to a PEM file read at
    /// [`build`](Self::build). Blank variables count as unset.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable when a required one is unset or a variable
    /// is not UTF-8; the builder can still be adjusted before [`build`](Self::build),
    /// which reports problems with the values themselves.
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
        let mut builder =
            ClientBuilder::new().mchid(required(env::MCHID)?).merchant_serial(required(env::MERCHANT_SERIAL)?);
        builder.private_key = Some(Pem::from_env_value(required(env::PRIVATE_KEY)?));
        builder.wechatpay_public_key =
            Some((required(env::PUBLIC_KEY_ID)?, Pem::from_env_value(required(env::PUBLIC_KEY)?)));
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
    pub fn wechatpay_public_key_pem(mut self, id: impl Into<String>, pem: impl Into<String>) -> Self {
        self.wechatpay_public_key = Some((id.into(), Pem::Text(Zeroizing::new(pem.into()))));
        self
    }

    /// The WeChat Pay public key from a PEM file, and its `PUB_KEY_ID_…`.
    pub fn wechatpay_public_key_file(mut self, id: impl Into<String>, path: impl AsRef<Path>) -> Self {
        self.wechatpay_public_key = Some((id.into(), Pem::File(path.as_ref().to_owned())));
        self
    }

    /// Adds a platform certificate (PEM text); its serial is read from it. With a public
    /// key too, responses signed by either are accepted (a migration).
    ///
    /// A certificate is trusted only within its validity window, at the moment it is
    /// used: [`build`](Self::build) refuses one that has already expired
    /// ([`ConfigError::CertificateExpired`]); one whose window has not begun is accepted
    /// and verifies nothing until it does (the next certificate, deployed ahead).
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
    /// APIv3 key), refreshed in the background from `build()` on, and refreshed on
    /// demand (shared and spaced) when a response or callback names an unknown serial.
    /// Default: on when an APIv3 key is set and no public key is; set it on a client
    /// with a public key for a migration, where responses may be signed by either.
    ///
    /// With refresh on, trust rests on the APIv3 key: whoever holds it (and can respond
    /// in the gateway's place) can feed the client certificates, even when one is
    /// configured. Turn it off to trust configured keys alone.
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
    /// then: a response from the primary, even a `5xx`, is retried there). Its path must
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

    /// Time allowed to open a connection, TCP and TLS handshakes included; default 5 s.
    /// A connection not open in time is an [`Error::Connect`](crate::Error::Connect)
    /// (retried, and failed over to the backup host when one is set). Keep it below
    /// [`timeout`](Self::timeout): a connection still opening when the try's timeout
    /// ends is an [`Error::Timeout`](crate::Error::Timeout). Not applied to a
    /// caller-supplied `reqwest::Client`, which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for each try of a call, from opening the connection (or taking a
    /// pooled one) to the last byte of the response body; default 30 s. A try that runs
    /// out of it is an [`Error::Timeout`](crate::Error::Timeout), which is not retried.
    ///
    /// It bounds each try, not the whole call: a call the [`RetryPolicy`] tries again
    /// takes up to its tries' times plus the waits between them, and the policy's
    /// [`budget`](RetryPolicy::budget) decides whether another try starts. A bill file's
    /// download is bounded instead by this on each wait for data and by
    /// [`bill_deadline`](Self::bill_deadline) in all.
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

    /// The largest response body accepted, enforced while reading; default 8 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The largest bill download accepted, in bytes, checked on the file as received
    /// (its `Content-Length` first) and on the bill as written once decompressed;
    /// default [`DEFAULT_MAX_BILL_BYTES`] (1 GiB). A download that reaches it stops with
    /// [`DownloadError::FileTooLarge`](crate::bill::DownloadError::FileTooLarge) or
    /// [`DownloadError::BillTooLarge`](crate::bill::DownloadError::BillTooLarge), having
    /// written nothing past it.
    pub fn max_bill_bytes(mut self, limit: u64) -> Self {
        self.max_bill_bytes = limit;
        self
    }

    /// The longest a bill download may take, from the file request to the verified bill;
    /// default [`DEFAULT_BILL_DEADLINE`] (10 min). Each wait for data is also bounded by
    /// [`timeout`](Self::timeout). Past it the download stops with
    /// [`DownloadError::Deadline`](crate::bill::DownloadError::Deadline).
    pub fn bill_deadline(mut self, deadline: Duration) -> Self {
        self.bill_deadline = deadline;
        self
    }

    /// Also fetches bill files whose `download_url` is under `url` (same scheme, host
    /// and port, a path under its path). By default only the base URL and the backup
    /// base URL are, since the file request carries a signed `Authorization`: add the
    /// gateway's own host here when the base URL is a proxy and the gateway's responses
    /// name its host. Checked at [`build`](Self::build) like the base URL (https, or
    /// plain http to a loopback host).
    pub fn allow_bill_download_from(mut self, url: impl Into<String>) -> Self {
        self.bill_download_from.push(url.into());
        self
    }

    /// Checks everything and builds the client: keys are parsed here, once.
    ///
    /// With certificate refresh on, the background refresh starts here when `build()`
    /// runs on a tokio runtime, so a client that only verifies callbacks refreshes too.
    /// Built outside a runtime (plain synchronous code), the client starts it on the
    /// runtime of its first call or callback verification instead; `build_blocking`
    /// starts it on the blocking client's own runtime.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the first setting that is missing or unusable, e.g.
    /// [`ConfigError::CertificateExpired`] for a configured platform certificate that has
    /// expired.
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
        let key = PrivateKey::from_pem(&private_key, self.backend).map_err(private_key_error)?;
        let signer = MerchantSigner::new(mchid, serial, key);

        let mut keys = VerifyingKeys::new();
        if let Some((id, pem)) = &self.wechatpay_public_key {
            check_token("the WeChat Pay public key id", id, |c| c.is_ascii_alphanumeric() || c == '_')?;
            if !id.starts_with("PUB_KEY_ID_") {
                return Err(invalid("the WeChat Pay public key id", format!("`{id}` does not start with PUB_KEY_ID_")));
            }
            let pem = pem.read("the WeChat Pay public key")?;
            let key = VerifyingKey::from_pem(&pem, self.backend)
                .map_err(|e| ConfigError::Invalid { what: "the WeChat Pay public key", problem: e.to_string() })?;
            keys.set_wechatpay_public_key(id.clone(), key);
        }
        let now = SystemTime::now();
        for pem in &self.certificates {
            let pem = pem.read("a platform certificate")?;
            let cert = PlatformCertificate::from_pem(&pem, self.backend)
                .map_err(|e| ConfigError::Invalid { what: "a platform certificate", problem: e.to_string() })?;
            // An expired certificate would verify nothing. One not yet valid is kept: it
            // is the next certificate, deployed ahead of its window, and verifies from then.
            if cert.not_after() < now {
                return Err(ConfigError::CertificateExpired {
                    serial: cert.serial().to_owned(),
                    not_after: cert.not_after(),
                }
                .into());
            }
            keys.insert_certificate(cert);
        }
        let refresh =
            self.certificate_refresh.unwrap_or(self.apiv3_key.is_some() && self.wechatpay_public_key.is_none());
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
        let mut bill_sources = vec![Source::new(&base_url)];
        let backup_origin = match &self.backup_base_url {
            None => None,
            Some(text) => {
                let backup = parse_base_url(text)?;
                bill_sources.push(Source::new(&backup));
                if backup.path() != base_url.path() {
                    return Err(invalid(
                        "the backup base URL",
                        format!("its path `{}` differs from the base URL's `{}`", backup.path(), base_url.path()),
                    ));
                }
                Some(origin_of(&backup))
            }
        };
        let user_agent = user_agent(self.user_agent_suffix.as_deref())?;
        let wechatpay_serial = keys
            .wechatpay_public_key_id()
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
        for text in &self.bill_download_from {
            bill_sources.push(Source::new(&parse_url("a bill download URL", text)?));
        }
        if self.max_bill_bytes == 0 {
            return Err(invalid("the bill size limit", "zero".into()));
        }
        if self.bill_deadline.is_zero() {
            return Err(invalid("the bill deadline", "zero".into()));
        }
        let streams =
            StreamLimits { sources: bill_sources, max_bytes: self.max_bill_bytes, deadline: self.bill_deadline };
        let key_refresh =
            refresh.then(|| Box::new(Refresher::new(self.certificate_refresh_interval)) as Box<dyn KeyRefresh>);
        let client = Client::new(Inner {
            http,
            origin: origin_of(&base_url),
            backup_origin,
            base_path: base_url.path().to_owned(),
            signer,
            keys: RwLock::new(Arc::new(keys)),
            user_agent,
            wechatpay_serial,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            streams,
            retry: self.retry,
            apiv3_key,
            backend: self.backend,
            key_refresh,
        });
        Ok(client)
    }
}

/// `url` with no path (`/`), query or fragment: the scheme, host and port requests go to.
fn origin_of(url: &Url) -> Url {
    let mut origin = url.clone();
    origin.set_path("");
    origin
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
    parse_url("the base URL", text)
}

/// Parses a URL calls or downloads go to: https, or plain http to a loopback host; a
/// host, no query, fragment or credentials.
fn parse_url(what: &'static str, text: &str) -> Result<Url, Error> {
    let url = Url::parse(text);
    // Messages quote the URL without any credentials it carries.
    let shown = without_credentials(text);
    let text = shown.as_str();
    let url = url.map_err(|e| invalid(what, format!("`{text}`: {e}")))?;
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
            return Err(invalid(what, format!("`{text}`: plain http is allowed for loopback hosts only")));
        }
        other => return Err(invalid(what, format!("`{text}`: scheme `{other}` is not http(s)"))),
    }
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(invalid(what, format!("`{text}` has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(what, format!("`{text}`: no query, fragment or credentials allowed")));
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
