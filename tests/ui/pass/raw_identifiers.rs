// A raw identifier fills the placeholder of its plain name.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(GET, "v3/media/<type>/<match>")]
pub struct GetMedia {
    pub r#type: String,
    pub r#match: String,
    pub r#in: Option<String>,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<GetMedia>();

fn main() {}
