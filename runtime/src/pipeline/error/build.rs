//! Requests that could not be built from the values given: nothing was sent.

/// The request could not be built from the endpoint's values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A path value cannot be sent as one segment.
    #[error("path value `{name}` cannot be used: {problem}")]
    PathValue {
        /// The placeholder.
        name: std::borrow::Cow<'static, str>,
        /// What is wrong with the value.
        problem: &'static str,
    },
    /// A path placeholder of a dynamic request was given no value, or a value was
    /// given for no placeholder.
    #[error("path placeholder `{name}`: {problem}")]
    Placeholder {
        /// The placeholder.
        name: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The query values could not be serialised.
    #[error("the query values could not be serialised")]
    Query(#[source] serde_urlencoded::ser::Error),
    /// The body could not be serialised.
    #[error("the JSON body could not be serialised")]
    Body(#[source] serde_json::Error),
    /// A value given for front-end payment parameters ([`crate::payment`]) cannot be
    /// signed as the front end will send it; nothing was signed.
    #[error("payment parameter `{member}` cannot be used: {problem}")]
    PaymentParameter {
        /// The member the value is for, as the front end names it (`appId`, `prepayid`…;
        /// `prepay_id` for the id inside JSAPI's `package`).
        member: &'static str,
        /// What is wrong with the value.
        problem: &'static str,
    },
    /// The path template of a dynamic request breaks the template grammar.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The target is not one a URL can carry unchanged. The target itself holds path
    /// and query values, so the error names the path template instead.
    #[error("the request target of `{path}` would not be sent as signed: {problem}")]
    Target {
        /// The path template of the call.
        path: String,
        /// What changes it.
        problem: String,
    },
}

/// A path template (of a dynamic request, or of a sandbox route) that breaks the grammar
/// `#[wechat_endpoint]` checks at compile time: `/`-separated segments of RFC 3986 path
/// characters or whole-segment `{name}` (or `<name>`) placeholders; no query, fragment,
/// empty, `.` or `..` segment, space or control character. Every problem found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path template `{}` is invalid: {}", .template.escape_debug(), .problems.join("; "))]
#[non_exhaustive]
pub struct TemplateError {
    /// The template as given.
    pub template: String,
    /// What is wrong with it, one entry per problem, in order.
    pub problems: Vec<String>,
}

impl TemplateError {
    pub(crate) fn new(template: &str, problems: Vec<crate::template::Problem>) -> Self {
        TemplateError { template: template.to_owned(), problems: problems.into_iter().map(|p| p.message).collect() }
    }
}

/// Parses `template` with the grammar of [`TemplateError`].
pub(crate) fn parse_template(template: &str) -> Result<crate::template::Template, TemplateError> {
    crate::template::parse_template(template).map_err(|problems| TemplateError::new(template, problems))
}
