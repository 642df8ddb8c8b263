//! Participant rules: who takes part in a meeting, written as a rule over the registry and
//! resolved on the meeting's day, so that "NATO+7" stays `members + framework:MD` while
//! the membership changes around it.
//!
//! # The language
//!
//! Terms:
//! - `members`: every member of the alliance that day;
//! - `partners`: every nation with a partner status that day (a partnership framework);
//! - `framework:CODE`: the nations taking part in that framework that day;
//! - `operation:CODE`: the nations contributing to that operation that day;
//! - `nation:CODE`: one nation (ISO 3166-1 alpha-2);
//! - `org:CODE`: one international organisation.
//!
//! Operators: `A + B` (either), `A - B` (the first except the second), `A & B` (both),
//! and parentheses. `&` binds tighter than `+` and `-`, which read left to right:
//! `members + framework:MD - nation:IL` is `(members + framework:MD) - nation:IL`, and
//! `partners & framework:PFP + nation:JP` is `(partners & framework:PFP) + nation:JP`.
//! Keywords and codes may be written in any case. A position in an error is the 1-based
//! character column where the fault begins.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;

use crate::codes::{FrameworkCode, NationCode, OrganisationCode};
use crate::registry::Registry;

/// The longest rule accepted, in characters.
pub const MAX_RULE_CHARS: usize = 2000;

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A term, with the column it starts at.
    Term(Term, usize),
    /// Either.
    Union(Box<Rule>, Box<Rule>),
    /// The first except the second.
    Except(Box<Rule>, Box<Rule>),
    /// Both.
    Both(Box<Rule>, Box<Rule>),
}

/// One term of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Every member that day.
    Members,
    /// Every partner that day.
    Partners,
    /// A framework's participants that day.
    Framework(FrameworkCode),
    /// An operation's contributors that day (by its code, such as `KFOR`).
    Operation(String),
    /// One nation.
    Nation(NationCode),
    /// One organisation.
    Organisation(OrganisationCode),
}

/// What is wrong with a rule, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at position {position}: {problem}")]
pub struct RuleError {
    /// 1-based character column.
    pub position: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// The kinds of fault in a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Nothing to resolve.
    #[error("the rule is empty")]
    Empty,
    /// Longer than [`MAX_RULE_CHARS`].
    #[error("the rule is longer than {MAX_RULE_CHARS} characters")]
    TooLong,
    /// A term was expected here.
    #[error(
        "expected a term (members, partners, framework:CODE, operation:CODE, nation:CODE, org:CODE) or `(`, found {0}"
    )]
    ExpectedTerm(String),
    /// An operator or the end was expected here.
    #[error("expected `+`, `-`, `&` or `)`, found {0}")]
    ExpectedOperator(String),
    /// A `(` without its `)`.
    #[error("`(` is not closed")]
    Unclosed,
    /// A word that is no term.
    #[error("`{0}` is not a term: use members, partners, framework:CODE, operation:CODE, nation:CODE or org:CODE")]
    UnknownTerm(String),
    /// A code that is malformed for its kind.
    #[error("`{0}` is not a valid code")]
    BadCode(String),
    /// A framework the registry does not know.
    #[error("unknown framework `{0}`")]
    UnknownFramework(String),
    /// An operation not on record.
    #[error("unknown operation `{0}`")]
    UnknownOperation(String),
    /// A nation the registry does not know.
    #[error("unknown nation `{0}`")]
    UnknownNation(String),
    /// An organisation the registry does not know.
    #[error("unknown organisation `{0}`")]
    UnknownOrganisation(String),
}

/// A participant: a nation or an organisation. Parties sort by their codes, as lists show
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Party {
    /// A nation.
    Nation(NationCode),
    /// An organisation.
    Organisation(OrganisationCode),
}

impl Party {
    /// The party's code: ISO alpha-2 for a nation, the organisation's own code otherwise.
    pub fn code(&self) -> &str {
        match self {
            Party::Nation(code) => code.as_str(),
            Party::Organisation(code) => code.as_str(),
        }
    }
}

impl Ord for Party {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let kind = |p: &Party| matches!(p, Party::Organisation(_));
        (self.code(), kind(self)).cmp(&(other.code(), kind(other)))
    }
}

impl PartialOrd for Party {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a rule is resolved against: the registry, and who contributed to which operation
/// on which day.
pub trait Operations {
    /// Whether an operation of that code is on record.
    fn exists(&self, code: &str) -> bool;
    /// The nations contributing to the operation on `day`.
    fn contributors(&self, code: &str, day: NaiveDate) -> BTreeSet<NationCode>;
}

impl Rule {
    /// Reads a rule; the error names the position of the first fault.
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        if text.chars().count() > MAX_RULE_CHARS {
            return Err(RuleError { position: MAX_RULE_CHARS + 1, problem: Problem::TooLong });
        }
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err(RuleError { position: 1, problem: Problem::Empty });
        }
        let mut parser = Parser { tokens: &tokens, at: 0, end: text.chars().count() + 1 };
        let rule = parser.union()?;
        match parser.peek() {
            None => Ok(rule),
            Some((token, position)) => {
                Err(RuleError { position, problem: Problem::ExpectedOperator(token.describe()) })
            }
        }
    }

    /// Every term with its position, left to right.
    pub fn terms(&self) -> Vec<(&Term, usize)> {
        match self {
            Rule::Term(term, position) => vec![(term, *position)],
            Rule::Union(a, b) | Rule::Except(a, b) | Rule::Both(a, b) => {
                let mut terms = a.terms();
                terms.extend(b.terms());
                terms
            }
        }
    }

    /// Refuses a rule naming a framework, operation, nation or organisation that is not on
    /// record, naming the first such term and its position.
    pub fn check(&self, registry: &Registry, operations: &dyn Operations) -> Result<(), RuleError> {
        for (term, position) in self.terms() {
            let problem = match term {
                Term::Members | Term::Partners => None,
                Term::Framework(code) => {
                    registry.framework(code).is_none().then(|| Problem::UnknownFramework(code.to_string()))
                }
                Term::Operation(code) => (!operations.exists(code)).then(|| Problem::UnknownOperation(code.clone())),
                Term::Nation(code) => {
                    registry.nation(*code).is_none().then(|| Problem::UnknownNation(code.to_string()))
                }
                Term::Organisation(code) => {
                    registry.organisation(code).is_none().then(|| Problem::UnknownOrganisation(code.to_string()))
                }
            };
            if let Some(problem) = problem {
                return Err(RuleError { position, problem });
            }
        }
        Ok(())
    }

    /// The participants on `day`. Check the rule first: an unknown code resolves to nobody.
    pub fn resolve(&self, registry: &Registry, operations: &dyn Operations, day: NaiveDate) -> BTreeSet<Party> {
        match self {
            Rule::Term(term, _) => resolve_term(term, registry, operations, day),
            Rule::Union(a, b) => {
                let mut out = a.resolve(registry, operations, day);
                out.extend(b.resolve(registry, operations, day));
                out
            }
            Rule::Except(a, b) => {
                let except = b.resolve(registry, operations, day);
                a.resolve(registry, operations, day).into_iter().filter(|p| !except.contains(p)).collect()
            }
            Rule::Both(a, b) => {
                let other = b.resolve(registry, operations, day);
                a.resolve(registry, operations, day).into_iter().filter(|p| other.contains(p)).collect()
            }
        }
    }
}

fn resolve_term(term: &Term, registry: &Registry, operations: &dyn Operations, day: NaiveDate) -> BTreeSet<Party> {
    let nations = |codes: &mut dyn Iterator<Item = NationCode>| codes.map(Party::Nation).collect();
    match term {
        Term::Members => nations(
            &mut registry
                .statuses_at(day)
                .into_iter()
                .filter(|s| s.status == crate::Standing::Member)
                .map(|s| s.nation),
        ),
        // A member keeps no partner status: its partnerships ended on accession.
        Term::Partners => nations(
            &mut registry
                .statuses_at(day)
                .into_iter()
                .filter(|s| s.status == crate::Standing::Partner)
                .map(|s| s.nation),
        ),
        Term::Framework(code) => nations(&mut registry.participants_at(code, day).into_iter().map(|p| p.nation)),
        Term::Operation(code) => nations(&mut operations.contributors(code, day).into_iter()),
        Term::Nation(code) => BTreeSet::from([Party::Nation(*code)]),
        Term::Organisation(code) => BTreeSet::from([Party::Organisation(code.clone())]),
    }
}

impl Rule {
    /// How tightly the rule's operator binds: terms, then `&`, then `+` and `-`.
    fn precedence(&self) -> u8 {
        match self {
            Rule::Term(..) => 3,
            Rule::Both(..) => 2,
            Rule::Union(..) | Rule::Except(..) => 1,
        }
    }
}

impl fmt::Display for Rule {
    /// Parentheses only where the reading needs them, so the text reads back to the same
    /// rule: `a + b - c` stays as written, `a - (b + c)` keeps its parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, op, b) = match self {
            Rule::Term(term, _) => return write!(f, "{term}"),
            Rule::Union(a, b) => (a, "+", b),
            Rule::Except(a, b) => (a, "-", b),
            Rule::Both(a, b) => (a, "&", b),
        };
        let mine = self.precedence();
        if a.precedence() < mine {
            write!(f, "({a})")?
        } else {
            write!(f, "{a}")?
        }
        write!(f, " {op} ")?;
        if b.precedence() <= mine { write!(f, "({b})") } else { write!(f, "{b}") }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Members => f.write_str("members"),
            Term::Partners => f.write_str("partners"),
            Term::Framework(code) => write!(f, "framework:{code}"),
            Term::Operation(code) => write!(f, "operation:{code}"),
            Term::Nation(code) => write!(f, "nation:{code}"),
            Term::Organisation(code) => write!(f, "org:{code}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Plus,
    Minus,
    And,
    Open,
    Close,
    Word(Term),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Plus => "`+`".into(),
            Token::Minus => "`-`".into(),
            Token::And => "`&`".into(),
            Token::Open => "`(`".into(),
            Token::Close => "`)`".into(),
            Token::Word(term) => format!("`{term}`"),
        }
    }
}

/// Splits a rule into tokens with their 1-based columns. A word runs until whitespace, an
/// operator or a parenthesis; a `-` inside a code (`operation:NTM-I`) belongs to the word
/// when no space surrounds it and it follows the `:`.
fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let position = i + 1;
        let single = match c {
            '+' => Some(Token::Plus),
            '-' => Some(Token::Minus),
            '&' => Some(Token::And),
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            _ => None,
        };
        if c.is_whitespace() {
            i += 1;
        } else if let Some(token) = single {
            tokens.push((token, position));
            i += 1;
        } else {
            let start = i;
            let mut seen_colon = false;
            while i < chars.len() {
                let c = chars[i];
                let code_dash = c == '-' && seen_colon && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if c.is_whitespace() || (matches!(c, '+' | '-' | '&' | '(' | ')') && !code_dash) {
                    break;
                }
                seen_colon |= c == ':';
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push((Token::Word(term_of(&word, position)?), position));
        }
    }
    Ok(tokens)
}

fn term_of(word: &str, position: usize) -> Result<Term, RuleError> {
    let fail = |problem| RuleError { position, problem };
    let bad_code = |code: &str| fail(Problem::BadCode(code.to_owned()));
    match word.split_once(':') {
        None => match word.to_ascii_lowercase().as_str() {
            "members" => Ok(Term::Members),
            "partners" => Ok(Term::Partners),
            _ => Err(fail(Problem::UnknownTerm(word.to_owned()))),
        },
        Some((kind, code)) => {
            let code = code.to_ascii_uppercase();
            match kind.to_ascii_lowercase().as_str() {
                "framework" => code.parse().map(Term::Framework).map_err(|_| bad_code(&code)),
                "nation" => code.parse().map(Term::Nation).map_err(|_| bad_code(&code)),
                "org" => code.parse().map(Term::Organisation).map_err(|_| bad_code(&code)),
                "operation" => crate::operation::OperationCode::parse(&code)
                    .map(|c| Term::Operation(c.as_str().to_owned()))
                    .ok_or_else(|| bad_code(&code)),
                _ => Err(fail(Problem::UnknownTerm(word.to_owned()))),
            }
        }
    }
}

struct Parser<'a> {
    tokens: &'a [(Token, usize)],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<(Token, usize)> {
        self.tokens.get(self.at).cloned()
    }

    fn union(&mut self) -> Result<Rule, RuleError> {
        let mut rule = self.both()?;
        while let Some((token @ (Token::Plus | Token::Minus), _)) = self.peek() {
            self.at += 1;
            let right = self.both()?;
            rule = match token {
                Token::Plus => Rule::Union(Box::new(rule), Box::new(right)),
                _ => Rule::Except(Box::new(rule), Box::new(right)),
            };
        }
        Ok(rule)
    }

    fn both(&mut self) -> Result<Rule, RuleError> {
        let mut rule = self.atom()?;
        while let Some((Token::And, _)) = self.peek() {
            self.at += 1;
            let right = self.atom()?;
            rule = Rule::Both(Box::new(rule), Box::new(right));
        }
        Ok(rule)
    }

    fn atom(&mut self) -> Result<Rule, RuleError> {
        match self.peek() {
            None => Err(RuleError { position: self.end, problem: Problem::ExpectedTerm("the end of the rule".into()) }),
            Some((Token::Word(term), position)) => {
                self.at += 1;
                Ok(Rule::Term(term, position))
            }
            Some((Token::Open, position)) => {
                self.at += 1;
                let inner = self.union()?;
                match self.peek() {
                    Some((Token::Close, _)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    None => Err(RuleError { position, problem: Problem::Unclosed }),
                    Some((token, at)) => {
                        Err(RuleError { position: at, problem: Problem::ExpectedOperator(token.describe()) })
                    }
                }
            }
            Some((token, position)) => Err(RuleError { position, problem: Problem::ExpectedTerm(token.describe()) }),
        }
    }
}

#[cfg(test)]
mod tests;
