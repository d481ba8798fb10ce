//! The deploy options Portainer offers for a Docker stack, asked wherever a deploy is confirmed
//! (a git redeploy, an edit's update): pull the images again, and for swarm prune services.

use leptos::prelude::*;

#[component]
pub fn DeployOptions(pull: RwSignal<bool>, prune: RwSignal<bool>, swarm: bool) -> impl IntoView {
    view! {
        <label>
            <input type="checkbox" class="pull-images" prop:checked=pull
                on:change=move |ev| pull.set(event_target_checked(&ev))/>
            " Pull the images again, even if their tags did not change"
        </label>
        {swarm.then(|| view! {
            <label>
                <input type="checkbox" class="prune" prop:checked=prune
                    on:change=move |ev| prune.set(event_target_checked(&ev))/>
                " Prune: remove services the compose file no longer names"
            </label>
        })}
    }
}
