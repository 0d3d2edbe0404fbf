use wechat_endpoint::wechat_endpoint;

// Sensitive values never go in URLs, whichever way a field gets to the query string.
#[wechat_endpoint(POST, "v3/receivers")]
pub struct MarkedQuery {
    #[wechat(query, encrypt)]
    pub name: String,
}

#[wechat_endpoint(GET, "v3/receivers")]
pub struct OnGet {
    #[wechat(encrypt)]
    pub name: String,
}

#[wechat_endpoint(DELETE, "v3/receivers")]
pub struct OnDelete {
    #[wechat(encrypt)]
    pub name: String,
}

fn main() {}
