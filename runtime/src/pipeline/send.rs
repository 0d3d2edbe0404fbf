//! `Client::send`: a declared endpoint's call, from its struct to its typed response.

use crate::pipeline::call::Check;
use crate::pipeline::client::Client;
use crate::pipeline::endpoint::{Endpoint, TargetWriter};
use crate::pipeline::error::Error;
use crate::pipeline::request::{Payload, Prepared, Route, is_idempotent, target_text};
use crate::pipeline::seal::{Form, Pending};

impl Client {
    /// Calls `endpoint`: builds its target and body once, signs them, sends them,
    /// verifies the response's signature and decodes it.
    ///
    /// Sensitive values (`#[wechat(encrypt)]` fields, [`Sensitive`](crate::sensitive::Sensitive)
    /// members, in the body or the query) are encrypted before signing; in certificate
    /// mode a client that holds no valid platform certificate yet downloads them first.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] when the target or body cannot be built, [`Error::Media`] for a file
    /// that cannot be uploaded, [`Error::Sensitive`] or [`Error::PlatformCertificates`] when a
    /// sensitive value cannot be encrypted (nothing was sent); [`Error::Sign`] when signing
    /// fails; [`Error::Connect`], [`Error::Transport`] or [`Error::Timeout`] when the exchange
    /// failed, once the [`RetryPolicy`](crate::RetryPolicy) allows no more tries; [`Error::Api`]
    /// for a non-2xx response; [`Error::ResponseTooLarge`] past
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes); [`Error::Verify`] when
    /// a 2xx response's signature is refused; [`Error::Decode`] when it does not decode into
    /// the response type.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        let prepared = self.prepare(endpoint).await?;
        self.call(&prepared, Check::Signature).await?.decode()
    }

    /// Builds the request `send` would send, without sending it.
    async fn prepare<E: Endpoint>(&self, endpoint: &E) -> Result<Prepared<'static>, Error> {
        let base_path = self.base_path();
        let mut target = String::with_capacity(base_path.len() + E::PATH_TEMPLATE.len() + 64);
        let mut in_query = Pending::default();
        in_query.collect(|| endpoint.write_target(&mut TargetWriter::new(&mut target, base_path)))?;
        let mut body = Vec::new();
        let mut in_body = Pending::default();
        in_body.collect(|| endpoint.write_body(&mut body))?;
        let mut target = target.into_bytes();
        let encrypted_with =
            self.seal(&mut [(&in_query, &mut target, Form::Query), (&in_body, &mut body, Form::Json)]).await?;
        Ok(Prepared {
            method: E::METHOD,
            template: E::PATH_TEMPLATE,
            target: target_text(target)?,
            payload: Payload::new(endpoint.media_file(), E::FILE_PART, body)?,
            idempotent: E::IDEMPOTENT.unwrap_or_else(|| is_idempotent(&E::METHOD)),
            encrypted_with,
            route: Route::Gateway,
        })
    }
}
