//! Calls to endpoints nobody declared, on the same signing and verifying pipeline.

use std::fmt::Display;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::pipeline::call::Check;
use crate::pipeline::client::Client;
use crate::pipeline::endpoint::{TargetWriter, write_json};
use crate::pipeline::error::{BuildError, Error, parse_template};
use crate::pipeline::multipart::{DEFAULT_FILE_PART, MediaFile};
use crate::pipeline::request::{Payload, Prepared, Route, is_idempotent, target_text};
use crate::pipeline::seal::{Form, Pending};
use crate::template::Segment;

/// A request to an endpoint given by method and path template, built step by step and
/// sent with [`send`](Self::send). Made by [`Client::request`].
///
/// The template names path values as `{name}`, as the WeChat Pay documentation writes
/// paths, or `<name>`; each value is percent-encoded as one segment. The template is
/// checked by the parser `#[wechat_endpoint]` uses, so it follows the same grammar (see
/// [`TemplateError`](crate::TemplateError)): query values go through
/// [`query`](Self::query), never into the template. Problems found while building are
/// reported by `send`, before anything is sent.
///
/// Its `Debug` shows the method, the template and the names of the path values given,
/// never a path or query value or the body.
#[must_use = "a request does nothing until it is sent"]
pub struct DynamicRequest<'c> {
    pub(crate) client: &'c Client,
    method: Method,
    template: String,
    path: Vec<(String, String)>,
    query: String,
    body: Vec<u8>,
    idempotent: Option<bool>,
    /// Sensitive values written into `query` and `body`, encrypted at `send`.
    in_query: Pending,
    in_body: Pending,
    error: Option<BuildError>,
    file: Option<MediaFile>,
    /// The name of the file's part, when [`file_part`](Self::file_part) gave one.
    file_part: Option<String>,
}

impl std::fmt::Debug for DynamicRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicRequest")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("path_names", &self.path.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
            .field("query_len", &self.query.len())
            .field("body_len", &self.body.len())
            .field("idempotent", &self.idempotent)
            .field("file", &self.file)
            .field("file_part", &self.file_part)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a request to `template` (e.g. `v3/pay/transactions/id/{transaction_id}`)
    /// that returns JSON: the untyped form, for endpoints nobody declared.
    ///
    /// ```no_run
    /// # async fn f(client: wechat_endpoint::Client) -> Result<(), wechat_endpoint::Error> {
    /// use wechat_endpoint::Method;
    /// let order = client
    ///     .request(Method::GET, "v3/pay/transactions/id/{transaction_id}")
    ///     .path("transaction_id", "4200000985202103031441826014")
    ///     .query(&[("mchid", "1900009191")])
    ///     .send()
    ///     .await?;
    /// println!("{}", order["trade_state"]);
    /// # Ok(()) }
    /// ```
    pub fn request(&self, method: Method, template: impl Into<String>) -> DynamicRequest<'_> {
        DynamicRequest {
            client: self,
            method,
            template: template.into(),
            path: Vec::new(),
            query: String::new(),
            body: Vec::new(),
            idempotent: None,
            in_query: Pending::default(),
            in_body: Pending::default(),
            error: None,
            file: None,
            file_part: None,
        }
    }
}

impl<'c> DynamicRequest<'c> {
    /// Sets the value of the `{name}` placeholder.
    pub fn path(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.path.push((name.into(), value.to_string()));
        self
    }

    /// Adds query pairs from a struct, a map or a sequence of pairs; `None` values are
    /// left out. May be called more than once.
    ///
    /// A [`Sensitive`](crate::sensitive::Sensitive) value (or a field serialised with
    /// [`sensitive::encrypt`](crate::sensitive::encrypt)) is sent encrypted, its
    /// base64 percent-encoded, and the request names the key in `Wechatpay-Serial`:
    ///
    /// ```no_run
    /// # async fn f(client: wechat_endpoint::Client) -> Result<(), wechat_endpoint::Error> {
    /// use wechat_endpoint::Method;
    /// use wechat_endpoint::sensitive::Sensitive;
    /// let banks = client
    ///     .request(Method::GET, "v3/capital/capitallhh/banks/search-banks-by-bank-account")
    ///     .query(&[("account_number", Sensitive::new("6214830000000000"))])
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn query<T: Serialize + ?Sized>(mut self, query: &T) -> Self {
        let mut pairs = form_urlencoded::Serializer::for_suffix(&mut self.query, 0);
        let written =
            self.in_query.collect(|| query.serialize(serde_urlencoded::Serializer::new(&mut pairs)).map(|_| ()));
        if let Err(e) = written {
            self.error.get_or_insert(BuildError::Query(e));
        }
        self
    }

    /// Declares whether sending this request twice does no harm; see
    /// [`Endpoint::IDEMPOTENT`](crate::Endpoint::IDEMPOTENT).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Sets the JSON body. Its [`Sensitive`](crate::sensitive::Sensitive) members are
    /// sent encrypted, and the request names the key in `Wechatpay-Serial`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body.clear();
        self.in_body = Pending::default();
        let written = self.in_body.collect(|| write_json(&mut self.body, body));
        if let Err(e) = written {
            self.error.get_or_insert(e);
        }
        self
    }

    /// Makes this a media upload of `file`: the request goes as `multipart/form-data`
    /// with a `meta` part (`{"filename":…,"sha256":…}` followed by the fields of
    /// [`json`](Self::json), if given) and a `file` part; the signature covers the `meta`
    /// JSON only. See [`media`](crate::media).
    ///
    /// ```no_run
    /// # async fn f(client: wechat_endpoint::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use wechat_endpoint::Method;
    /// use wechat_endpoint::media::MediaFile;
    /// let response = client
    ///     .request(Method::POST, "v3/merchant/media/upload")
    ///     .file(MediaFile::open("logo.png").await?)
    ///     .send()
    ///     .await?;
    /// println!("{}", response["media_id"]);
    /// # Ok(()) }
    /// ```
    pub fn file(mut self, file: MediaFile) -> Self {
        self.file = Some(file);
        self
    }

    /// Names the multipart part that carries [`file`](Self::file)'s file, for the few
    /// uploads that do not call it `file` (`POST v3/mch-manage/…/upload` takes
    /// `submission_file`); see [`Endpoint::FILE_PART`](crate::Endpoint::FILE_PART).
    pub fn file_part(mut self, name: impl Into<String>) -> Self {
        self.file_part = Some(name.into());
        self
    }

    /// Signs, sends and verifies the request; returns the JSON body (`Null` for 204).
    ///
    /// # Errors
    ///
    /// As [`send_as`](Self::send_as).
    pub async fn send(self) -> Result<serde_json::Value, Error> {
        self.send_as().await
    }

    /// Like [`send`](Self::send), decoding the response into `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] naming each problem of the template (a [`TemplateError`](crate::TemplateError)),
    /// a placeholder without a value or a value without a placeholder, and a path or query
    /// value that cannot be sent; then as [`Client::send`](crate::Client::send):
    /// [`Error::Build`] when the target or body cannot be built, [`Error::Media`] for a file
    /// that cannot be uploaded, [`Error::Sensitive`] or [`Error::PlatformCertificates`] when a
    /// sensitive value cannot be encrypted (nothing was sent); [`Error::Sign`] when signing
    /// fails; [`Error::Connect`], [`Error::Transport`] or [`Error::Timeout`] when the exchange
    /// failed, once the [`RetryPolicy`](crate::RetryPolicy) allows no more tries; [`Error::Api`]
    /// for a non-2xx response; [`Error::ResponseTooLarge`] past
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes); [`Error::Verify`] when
    /// a 2xx response's signature is refused; [`Error::Decode`] when it does not decode into
    /// the response type.
    pub async fn send_as<T: DeserializeOwned>(mut self) -> Result<T, Error> {
        let client = self.client;
        let prepared = self.prepare().await?;
        client.call(&prepared, Check::Signature).await?.decode()
    }

    /// Builds the target, takes the body, and encrypts their sensitive values.
    async fn prepare(&mut self) -> Result<Prepared<'_>, Error> {
        if let Some(error) = self.error.take() {
            return Err(error.into());
        }
        let template = parse_template(&self.template).map_err(BuildError::from)?;
        let mut target = String::with_capacity(self.template.len() + self.query.len() + 64);
        let mut writer = TargetWriter::new(&mut target, self.client.base_path());
        let mut used = vec![false; self.path.len()];
        for (i, segment) in template.segments().iter().enumerate() {
            if i > 0 {
                writer.push_path("/");
            }
            match segment {
                Segment::Literal(text) => writer.push_path(text),
                Segment::Placeholder(name) => {
                    let index =
                        self.path.iter().position(|(n, _)| n == name).ok_or_else(|| BuildError::Placeholder {
                            name: name.clone(),
                            problem: "was given no value: call .path(name, value)",
                        })?;
                    used[index] = true;
                    writer.push_segment_dynamic(name, &self.path[index].1)?;
                }
            }
        }
        if let Some(index) = used.iter().position(|u| !u) {
            return Err(BuildError::Placeholder {
                name: self.path[index].0.clone(),
                problem: "is not in the template",
            }
            .into());
        }
        writer.push_encoded_query(&self.query);
        let mut body = std::mem::take(&mut self.body);
        let mut target = target.into_bytes();
        let encrypted_with = self
            .client
            .seal(&mut [(&self.in_query, &mut target, Form::Query), (&self.in_body, &mut body, Form::Json)])
            .await?;
        Ok(Prepared {
            idempotent: self.idempotent.unwrap_or_else(|| is_idempotent(&self.method)),
            method: self.method.clone(),
            template: &self.template,
            encrypted_with,
            target: target_text(target)?,
            payload: Payload::new(self.file.as_ref(), self.file_part.as_deref().unwrap_or(DEFAULT_FILE_PART), body)?,
            route: Route::Gateway,
        })
    }
}
