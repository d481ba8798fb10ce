//! Who the token is, and the token itself as Portainer lists it.

use crate::domain::access::{TokenReport, Who};
use leptos::prelude::*;

#[component]
pub fn WhoCard(who: Who) -> impl IntoView {
    let teams = if who.teams.is_empty() {
        "none".to_owned()
    } else {
        let named: Vec<String> = who
            .teams
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.name,
                    if t.leader { "leader" } else { "member" }
                )
            })
            .collect();
        named.join(", ")
    };
    let leads = who.teams.iter().any(|t| t.leader);
    let role_class = if who.is_admin {
        "badge badge-warn"
    } else {
        "badge"
    };
    let portainer = who.portainer();
    view! {
        <div class="card access-who">
            <h2>"Who"</h2>
            <dl class="facts">
                <dt>"User"</dt>
                <dd class="who-user">{format!("{} (id {})", who.username, who.user_id)}</dd>
                <dt>"Role"</dt>
                <dd class="who-role"><span class=role_class>{who.role}</span></dd>
                <dt>"Teams"</dt>
                <dd class="who-teams">
                    {teams}
                    {leads.then(|| view! {
                        <span class="sub">"Leading a team opens Portainer's team-leader routes (users, team memberships)."</span>
                    })}
                </dd>
                <dt>"Portainer"</dt>
                <dd class="who-portainer">{portainer}</dd>
            </dl>
        </div>
    }
}

#[component]
pub fn TokenCard(token: TokenReport, username: String) -> impl IntoView {
    let this = token.this.clone().map(|t| {
        view! {
            <dt>"Description"</dt><dd class="token-description">{t.description}</dd>
            <dt>"Created"</dt><dd>{t.created_utc}</dd>
            <dt>"Last used"</dt><dd>{t.last_used_utc}</dd>
        }
    });
    let others = (!token.others.is_empty()).then(|| {
        let items = token.others.iter().map(|o| {
            view! { <li>{o.description.clone()} " " <code>{o.prefix.clone()}</code></li> }
        });
        view! {
            <h3>{format!("Other tokens of {username}")}</h3>
            <ul class="other-tokens">{items.collect_view()}</ul>
        }
    });
    view! {
        <div class="card access-token">
            <h2>"This token"</h2>
            <p class="msg msg-warn rights-statement"><strong>{token.rights_statement}</strong></p>
            <dl class="facts">
                <dt>"Prefix"</dt><dd><code class="token-prefix">{token.prefix.as_str().to_owned()}</code></dd>
                <dt>"Lookup"</dt><dd class="token-lookup">{token.lookup_text}</dd>
                {this}
            </dl>
            {others}
        </div>
    }
}
