//! The key table: every object in the virtual HSM, as metadata.

use yew::prelude::*;

/// The list of keys on the virtual HSM.
#[component]
pub fn KeyTable() -> Html {
    html! {
        <section class="panel keys" aria-labelledby="keys-title">
            <h2 id="keys-title">{ "Keys" }</h2>
            <table class="key-table">
                <caption class="visually-hidden">{ "Keys on the virtual HSM" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Handle" }</th>
                        <th scope="col">{ "Label" }</th>
                        <th scope="col">{ "Type" }</th>
                        <th scope="col">{ "Size" }</th>
                        <th scope="col">{ "KCV" }</th>
                        <th scope="col">{ "Owner" }</th>
                        <th scope="col">{ "Flags" }</th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="empty">
                        <td colspan="7">{ "No keys yet. Try " }<code>{ "genSymKey -t 31 -s 32 -l kek" }</code></td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}
