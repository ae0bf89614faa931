//! Building a statement's tree from its pest pairs, a function a statement
//! form. Each reads the parts of its rule in the order `grammar/rel.pest`
//! writes them (see [`Parts`]).

use super::ast::*;
use super::keyword::Keyword;
use super::parts::{grammar_disagrees, Parts};
use super::{Builder, Rule};
use crate::figure::Scale;
use pest::iterators::Pair;

impl Builder {
    /// The statement a statement rule's pair holds.
    pub(super) fn statement(&self, p: Pair<'_, Rule>) -> StmtKind {
        match p.as_rule() {
            Rule::source_decl => self.source(p),
            Rule::actor_decl => self.actor(p),
            Rule::role_decl => StmtKind::Role(Box::new(self.role(p))),
            Rule::visit
            | Rule::meeting
            | Rule::call
            | Rule::elected
            | Rule::agreement
            | Rule::summit => StmtKind::Event(self.event(p)),
            Rule::ladder_decl => self.ladder(p),
            Rule::level_decl => StmtKind::Level(Box::new(self.level(p))),
            Rule::trade => StmtKind::Trade(Box::new(self.trade(p))),
            Rule::say => StmtKind::Say(Box::new(self.say(p))),
            Rule::include => StmtKind::Include {
                path: self.string(Parts::of(p).required()),
            },
            Rule::assert_stmt => StmtKind::Assert {
                check: Box::new(self.comparison(Parts::of(p).required())),
            },
            Rule::claim_stmt => {
                let mut parts = Parts::of(p);
                let check = Box::new(self.comparison(parts.required()));
                let cite = self.optional_citation(parts);
                StmtKind::Claim { check, cite }
            }
            Rule::complete_stmt => {
                let mut parts = Parts::of(p);
                let scope = Box::new(self.base_query(parts.required()));
                let cite = self.optional_citation(parts);
                StmtKind::Complete { scope, cite }
            }
            other => grammar_disagrees(other),
        }
    }

    /// The citation that may end a statement, after its other parts.
    fn optional_citation(&self, mut rest: Parts<'_>) -> Vec<Ident> {
        rest.next().map(|c| self.citation(c)).unwrap_or_default()
    }

    fn source(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let id = self.ident(parts.required());
        let title = self.string(parts.required());
        let (mut published, mut url) = (None, None);
        for extra in parts {
            match extra.as_rule() {
                Rule::published => published = Some(self.when(Parts::of(extra).required())),
                Rule::url => url = Some(self.string(Parts::of(extra).required())),
                other => grammar_disagrees(other),
            }
        }
        StmtKind::Source {
            id,
            title,
            published,
            url,
        }
    }

    fn actor(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let kind_pair = parts.required();
        let kind_span = self.span(&kind_pair);
        let kind = ActorKindAst::from_word(kind_pair.as_str())
            .unwrap_or_else(|| grammar_disagrees(Rule::actor_kind));
        let id = self.ident(parts.required());
        let name = self.string(parts.required());
        let (mut aka, mut of, mut cite) = (Vec::new(), Vec::new(), Vec::new());
        for extra in parts {
            match extra.as_rule() {
                Rule::aka => aka.extend(Parts::of(extra).map(|i| self.ident(i))),
                Rule::of_actor => of.push(self.ident(Parts::of(extra).required())),
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        StmtKind::Actor {
            kind,
            kind_span,
            id,
            name,
            aka,
            of,
            cite,
        }
    }

    fn role(&self, p: Pair<'_, Rule>) -> RoleAst {
        let mut parts = Parts::of(p);
        let holder = self.ident(parts.required());
        let office = self.ident(parts.required());
        let of = self.ident(parts.required());
        // `to <id>` may come before the tenure.
        let mut next = parts.required();
        let to = if next.as_rule() == Rule::ident {
            let to = self.ident(next);
            next = parts.required();
            Some(to)
        } else {
            None
        };
        let tenure = self.tenure(next);
        RoleAst {
            holder,
            office,
            of,
            to,
            tenure,
            cite: self.optional_citation(parts),
        }
    }

    fn tenure(&self, p: Pair<'_, Rule>) -> Tenure {
        let form = Parts::of(p).required();
        match form.as_rule() {
            Rule::since => Tenure::Since(self.when(Parts::of(form).required())),
            Rule::until => Tenure::Until(self.when(Parts::of(form).required())),
            _ => Tenure::During(self.when(form)),
        }
    }

    fn ladder(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let id = self.ident(parts.required());
        let rungs = parts
            .map(|r| {
                let mut rung = Parts::of(r);
                Rung {
                    id: self.ident(rung.required()),
                    name: self.string(rung.required()),
                }
            })
            .collect();
        StmtKind::Ladder { id, rungs }
    }

    fn level(&self, p: Pair<'_, Rule>) -> LevelAst {
        let mut parts = Parts::of(p);
        let mut ast = LevelAst {
            pair: self.pair(parts.required()),
            level: self.ident(parts.required()),
            when: self.when(parts.required()),
            via: None,
            ladder: None,
            downgrade: None,
            cite: Vec::new(),
        };
        for extra in parts {
            match extra.as_rule() {
                Rule::via => ast.via = Some(self.ident(Parts::of(extra).required())),
                Rule::on_ladder => ast.ladder = Some(self.ident(Parts::of(extra).required())),
                Rule::downgrade => ast.downgrade = Some(self.span(&extra)),
                Rule::citation => ast.cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        ast
    }

    fn trade(&self, p: Pair<'_, Rule>) -> TradeAst {
        let mut parts = Parts::of(p);
        let pair = self.pair(parts.required());
        let year = self.when(parts.required());
        let amount = self.amount(parts.required());
        let currency = self.ident(parts.required());
        let (mut yoy, mut cite) = (None, Vec::new());
        for extra in parts {
            match extra.as_rule() {
                Rule::yoy => {
                    let percent = Parts::of(extra).required();
                    yoy = Some(PercentAst {
                        text: percent.as_str().to_string(),
                        span: self.span(&percent),
                    })
                }
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        TradeAst {
            pair,
            year,
            amount,
            currency,
            yoy,
            cite,
        }
    }

    fn amount(&self, p: Pair<'_, Rule>) -> AmountAst {
        let span = self.span(&p);
        let mut parts = Parts::of(p);
        let number = parts.required().as_str().to_string();
        let scale = match parts.next() {
            Some(s) => {
                Scale::from_suffix(s.as_str()).unwrap_or_else(|| grammar_disagrees(Rule::scale))
            }
            None => Scale::One,
        };
        AmountAst {
            number,
            scale,
            span,
        }
    }

    fn say(&self, p: Pair<'_, Rule>) -> SayAst {
        let mut parts = Parts::of(p);
        let speaker = self.ident(parts.required());
        let when = self.when(parts.required());
        let (mut about, mut capacity) = (None, None);
        // `about` and `capacity` come in any order before the text.
        let text = loop {
            let part = parts.required();
            match part.as_rule() {
                Rule::about => about = Some(self.pair(Parts::of(part).required())),
                Rule::capacity => capacity = Some(self.ident(Parts::of(part).required())),
                Rule::string => break self.string(part),
                other => grammar_disagrees(other),
            }
        };
        SayAst {
            speaker,
            when,
            about,
            capacity,
            text,
            cite: self.optional_citation(parts),
        }
    }

    fn event(&self, p: Pair<'_, Rule>) -> EventAst {
        let rule = p.as_rule();
        let mut parts = Parts::of(p);
        let kw = parts.keyword();
        let kind = self.event_kind(rule, kw.as_str(), &mut parts);
        let when = self.when(parts.required());
        // See `idents`: a list every event has gets exactly its room.
        let mut attrs =
            Vec::with_capacity(parts.clone().filter(|p| p.as_rule() == Rule::attr).count());
        let mut cite = Vec::new();
        for extra in parts {
            match extra.as_rule() {
                Rule::attr => attrs.push(self.attr(extra)),
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        EventAst {
            kind,
            keyword: self.span(&kw),
            when,
            attrs,
            cite,
        }
    }

    /// What happened and who took part: the parts of an event between its
    /// keyword and its date.
    fn event_kind(&self, rule: Rule, keyword: &str, parts: &mut Parts<'_>) -> EventKindAst {
        match rule {
            Rule::visit => EventKindAst::Visit {
                visitor: self.ident(parts.required()),
                host: self.ident(parts.required()),
            },
            Rule::meeting | Rule::call => {
                let (mut parties, mut capacities) = (Vec::new(), Vec::new());
                for party in Parts::of(parts.required()) {
                    let mut party = Parts::of(party);
                    parties.push(self.ident(party.required()));
                    if let Some(c) = party.next() {
                        capacities.push((parties.len() - 1, self.ident(Parts::of(c).required())));
                    }
                }
                EventKindAst::Meeting {
                    parties,
                    capacities,
                    call: rule == Rule::call,
                }
            }
            Rule::elected => EventKindAst::Elected(Box::new(ElectedAst {
                person: self.ident(parts.required()),
                office: self.ident(parts.required()),
                of: self.ident(parts.required()),
                re: keyword == Keyword::Reelected.word(),
            })),
            Rule::agreement => EventKindAst::Agreement {
                title: self.string(parts.required()),
                parties: self.idents(parts.required()),
            },
            Rule::summit => EventKindAst::Summit {
                title: self.string(parts.required()),
            },
            other => grammar_disagrees(other),
        }
    }

    fn attr(&self, p: Pair<'_, Rule>) -> Attr {
        let mut parts = Parts::of(p);
        let key_pair = parts.required();
        let key = AttrKey::from_word(key_pair.as_str())
            .unwrap_or_else(|| grammar_disagrees(Rule::attr_key));
        let value = parts.required();
        let value = match value.as_rule() {
            Rule::string => AttrValue::Str(self.string(value)),
            _ => AttrValue::Ident(self.ident(value)),
        };
        Attr {
            key,
            key_span: self.span(&key_pair),
            value,
        }
    }
}
