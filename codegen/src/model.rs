//! The catalog as the converter builds it: owned, in the shape of the catalog crate's
//! static types, whose variant names the `Debug` of these enums prints.

/// An HTTP method, in the catalog's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method of a path item key (`get`, `post`, …).
    pub fn from_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "patch" => Method::Patch,
            "delete" => Method::Delete,
            _ => return None,
        })
    }

    /// Upper case, as sent.
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub method: Method,
    pub path_template: String,
    pub host: Option<String>,
    pub title: String,
    pub groups: Vec<String>,
    pub doc_url: Option<String>,
    pub updated: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Member>,
    pub body: Body,
    pub response: Response,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(Vec<Member>),
    Multipart(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(Vec<Member>),
    File,
    Unspecified,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub sensitive: bool,
    pub schema: Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
    FormData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    File,
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub ty: JsonType,
    pub format: Option<String>,
    pub enum_values: Vec<String>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub min_items: Option<u32>,
    pub max_items: Option<u32>,
    pub pattern: Option<String>,
    pub nullable: bool,
    pub members: Vec<Member>,
    pub items: Option<Box<Schema>>,
}

impl Schema {
    pub fn of(ty: JsonType) -> Schema {
        Schema {
            ty,
            format: None,
            enum_values: Vec::new(),
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            min_items: None,
            max_items: None,
            pattern: None,
            nullable: false,
            members: Vec::new(),
            items: None,
        }
    }
}

impl Member {
    /// Calls `f` on this member and every member nested in it.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Member)) {
        f(self);
        self.schema.walk(f);
    }
}

impl Schema {
    /// Calls `f` on every member nested in this schema.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Member)) {
        for member in &self.members {
            member.walk(f);
        }
        if let Some(items) = &self.items {
            items.walk(f);
        }
    }
}

impl Operation {
    /// `POST v3/…`
    pub fn label(&self) -> String {
        format!("{} {}", self.method.name(), self.path_template)
    }

    /// Calls `f` on every member of the operation: parameters, body and response, nested
    /// ones included.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Member)) {
        for member in &self.parameters {
            member.walk(f);
        }
        if let Body::Json(members) | Body::Multipart(members) = &self.body {
            members.iter().for_each(|member| member.walk(f));
        }
        if let ResponseBody::Json(members) = &self.response.body {
            members.iter().for_each(|member| member.walk(f));
        }
    }
}
