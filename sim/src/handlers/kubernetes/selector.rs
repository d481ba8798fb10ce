//! Label selectors as the API server reads `labelSelector` (`k8s.io/apimachinery/pkg/labels`
//! `selector.go`: its lexer, `Parser.parse` and `Requirement.Matches`): `k=v`, `k==v`, `k!=v`,
//! `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`, joined by commas (all must hold).
//! Parse errors carry the parser's own words; the validation of key and value syntax
//! (`validateLabelKey`, `validateLabelValue`) is not modelled.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(text: &str) -> Option<Token> {
    Some(match text {
        ")" => Token::ClosedPar,
        "," => Token::Comma,
        "!" => Token::DoesNotExist,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "in" => Token::In,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "notin" => Token::NotIn,
        "(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The lexer's items: a special symbol takes the longest operator it can form, anything else
/// runs to the next space or special symbol.
fn scan(text: &str) -> Vec<(Token, String)> {
    let bytes = text.as_bytes();
    let mut items = Vec::new();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && is_space(bytes[pos]) {
            pos += 1;
        }
        if pos == bytes.len() {
            items.push((Token::End, String::new()));
            return items;
        }
        let start = pos;
        if is_special(bytes[pos]) {
            pos += 1;
            if pos < bytes.len()
                && is_special(bytes[pos])
                && keyword(&text[start..pos + 1]).is_some()
            {
                pos += 1;
            }
        } else {
            while pos < bytes.len() && !is_special(bytes[pos]) && !is_space(bytes[pos]) {
                pos += 1;
            }
        }
        let literal = String::from_utf8_lossy(&bytes[start..pos]).into_owned();
        let token = keyword(&literal).unwrap_or(Token::Identifier);
        items.push((token, literal));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Exists,
    DoesNotExist,
    Equals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}

#[derive(Clone, Debug)]
struct Requirement {
    key: String,
    operator: Operator,
    values: BTreeSet<String>,
}

impl Requirement {
    /// `Requirement.Matches`.
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        let number = |v: &str| v.parse::<i64>().ok();
        match self.operator {
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::Equals | Operator::In => value.is_some_and(|v| self.values.contains(v)),
            Operator::NotEquals | Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(have), Some(want)) = (
                    value.and_then(|v| number(v)),
                    self.values.iter().next().and_then(|v| number(v)),
                ) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

/// A parsed selector; the empty one selects everything.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// `labels.Parse`; the error is its text, which the API server answers as a 400.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parser = Parser {
            items: scan(text),
            position: 0,
        };
        parser.parse().map(|requirements| Selector { requirements })
    }
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

impl Parser {
    /// In a place where values are expected, `in` and `notin` are plain identifiers.
    fn as_value(token: Token) -> Token {
        match token {
            Token::In | Token::NotIn => Token::Identifier,
            other => other,
        }
    }

    fn lookahead(&self, values: bool) -> (Token, String) {
        let (token, literal) = self.items[self.position.min(self.items.len() - 1)].clone();
        (if values { Self::as_value(token) } else { token }, literal)
    }

    fn consume(&mut self, values: bool) -> (Token, String) {
        let item = self.lookahead(values);
        self.position += 1;
        item
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            let (token, literal) = self.lookahead(true);
            match token {
                Token::Identifier | Token::DoesNotExist => {
                    let requirement = self
                        .requirement()
                        .map_err(|err| format!("unable to parse requirement: {err}"))?;
                    requirements.push(requirement);
                    let (token, literal) = self.consume(true);
                    match token {
                        Token::End => return Ok(requirements),
                        Token::Comma => {
                            let (next, literal) = self.lookahead(true);
                            if next != Token::Identifier && next != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{literal}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => {
                            return Err(format!(
                                "found '{literal}', expected: ',' or 'end of string'"
                            ))
                        }
                    }
                }
                Token::End => return Ok(requirements),
                _ => {
                    return Err(format!(
                        "found '{literal}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut operator = None;
        let (mut token, mut key) = self.consume(true);
        if token == Token::DoesNotExist {
            operator = Some(Operator::DoesNotExist);
            (token, key) = self.consume(true);
        }
        if token != Token::Identifier {
            return Err(format!("found '{key}', expected: identifier"));
        }
        let (next, _) = self.lookahead(true);
        if next == Token::End || next == Token::Comma {
            operator.get_or_insert(Operator::Exists);
        }
        if let Some(operator) = operator {
            return Ok(Requirement {
                key,
                operator,
                values: BTreeSet::new(),
            });
        }
        let (token, literal) = self.consume(false);
        let operator = match token {
            Token::In => Operator::In,
            Token::Equals | Token::DoubleEquals => Operator::Equals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => {
                return Err(format!(
                    "found '{literal}', expected: in, notin, =, ==, !=, gt, lt"
                ))
            }
        };
        let values = match operator {
            Operator::In | Operator::NotIn => self.values()?,
            _ => self.exact_value()?,
        };
        Ok(Requirement {
            key,
            operator,
            values,
        })
    }

    /// `parseValues`: `( a, b )`, where `()` is the set of the empty value.
    fn values(&mut self) -> Result<BTreeSet<String>, String> {
        let (token, literal) = self.consume(true);
        if token != Token::OpenPar {
            return Err(format!("found '{literal}' expected: '('"));
        }
        let (token, literal) = self.lookahead(true);
        match token {
            Token::Identifier | Token::Comma => {
                let set = self.identifiers()?;
                if self.consume(true).0 != Token::ClosedPar {
                    return Err(format!("found '{literal}', expected: ')'"));
                }
                Ok(set)
            }
            Token::ClosedPar => {
                self.consume(true);
                Ok(BTreeSet::from([String::new()]))
            }
            _ => Err(format!(
                "found '{literal}', expected: ',', ')' or identifier"
            )),
        }
    }

    /// `parseIdentifiersList`: comma-separated, possibly empty, values.
    fn identifiers(&mut self) -> Result<BTreeSet<String>, String> {
        let mut set = BTreeSet::new();
        loop {
            let (token, literal) = self.consume(true);
            match token {
                Token::Identifier => {
                    set.insert(literal);
                    let (next, literal) = self.lookahead(true);
                    match next {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{literal}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        set.insert(String::new());
                    }
                    let (next, _) = self.lookahead(true);
                    if next == Token::ClosedPar || next == Token::Comma {
                        set.insert(String::new());
                    }
                    if next == Token::ClosedPar {
                        return Ok(set);
                    }
                }
                _ => return Err(format!("found '{literal}', expected: ',', or identifier")),
            }
        }
    }

    /// `parseExactValue`: one value, possibly empty.
    fn exact_value(&mut self) -> Result<BTreeSet<String>, String> {
        let (token, _) = self.lookahead(true);
        if token == Token::End || token == Token::Comma {
            return Ok(BTreeSet::from([String::new()]));
        }
        let (token, literal) = self.consume(true);
        if token == Token::Identifier {
            return Ok(BTreeSet::from([literal]));
        }
        Err(format!("found '{literal}', expected: identifier"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selects_like_the_api_server() {
        let pod = labels(&[("app", "demo-web"), ("tier", "front"), ("replicas", "3")]);
        let yes = [
            "",
            "app=demo-web",
            "app==demo-web, tier=front",
            "app",
            "!missing",
            "tier in (front,back)",
            "tier notin (back)",
            "missing!=x",
            "replicas>2",
            "replicas<4",
        ];
        for text in yes {
            assert!(Selector::parse(text).unwrap().matches(&pod), "{text}");
        }
        let no = [
            "app=demo-worker",
            "app=demo-web,tier=back",
            "missing",
            "!app",
            "tier in (back)",
            "missing in (x)",
            "app!=demo-web",
            "replicas>3",
        ];
        for text in no {
            assert!(!Selector::parse(text).unwrap().matches(&pod), "{text}");
        }
    }

    #[test]
    fn errors_carry_the_parser_words() {
        let err = |text: &str| Selector::parse(text).unwrap_err();
        assert_eq!(
            err("=x"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("app=a b"),
            "found 'b', expected: ',' or 'end of string'"
        );
        assert_eq!(err("app=a,"), "found '', expected: identifier after ','");
        assert_eq!(
            err("app in a"),
            "unable to parse requirement: found 'a' expected: '('"
        );
    }
}
