//! Query strings read the way Go's `net/http` reads them: first value wins, names are
//! case-sensitive, array parameters use the `name[]` form.

use crate::error::{atoi, atoi_error, ApiError};

#[derive(Debug, Default, Clone)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Query { pairs }
    }

    /// The first value of `name`, or "" (Go's `FormValue`).
    pub fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// All values of `name[]` (Portainer's `getArrayQueryParameter`); `name=` alone is ignored.
    pub fn array(&self, name: &str) -> Vec<&str> {
        let key = format!("{name}[]");
        self.pairs
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Portainer's `RetrieveBooleanQueryParameter`: only the exact text "true" is true.
    pub fn bool(&self, name: &str) -> bool {
        self.get(name) == "true"
    }

    /// Portainer's optional numeric query parameter: absent or empty → 0; not a number → 400
    /// "Invalid query parameter: <name>".
    pub fn optional_number(&self, name: &str) -> Result<i64, ApiError> {
        match self.get(name) {
            "" => Ok(0),
            raw => atoi(raw).ok_or_else(|| {
                ApiError::bad_request(format!("Invalid query parameter: {name}"))
                    .details(atoi_error(raw))
            }),
        }
    }

    /// A required numeric query parameter: absent → 400 with details "Missing query parameter".
    pub fn required_number(&self, name: &str) -> Result<i64, ApiError> {
        if self.get(name).is_empty() {
            return Err(
                ApiError::bad_request(format!("Invalid query parameter: {name}"))
                    .details("Missing query parameter"),
            );
        }
        self.optional_number(name)
    }

    /// A lenient number (pagination): anything unparsable counts as 0, as the endpoint list
    /// ignores those errors.
    pub fn lenient_number(&self, name: &str) -> i64 {
        atoi(self.get(name)).unwrap_or(0)
    }

    /// Docker's boolean form values: "", "0", "no", "false", "none" are false.
    pub fn docker_bool(&self, name: &str) -> bool {
        !matches!(
            self.get(name).to_ascii_lowercase().as_str(),
            "" | "0" | "no" | "false" | "none"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brackets_and_first_values() {
        let q = Query::parse(Some("types%5B%5D=1&types[]=2&types=4&search=Loc&search=x"));
        assert_eq!(q.array("types"), vec!["1", "2"]);
        assert_eq!(q.get("search"), "Loc");
        assert!(!q.bool("excludeSnapshots"));
    }
}
