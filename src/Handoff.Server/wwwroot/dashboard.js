// Keyboard shortcuts for the dashboard. One listener for the whole page; the page component that wants keys
// attaches itself (a .NET object reference) and gets each key that is not typed into a field.
(() => {
    let target = null;
    let keys = [];

    const typing = el => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

    document.addEventListener('keydown', e => {
        if (e.key === 'Escape' && typing(document.activeElement)) {
            document.activeElement.blur();
            return;
        }
        if (!target || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) {
            return;
        }
        if (!keys.includes(e.key)) {
            return;
        }
        e.preventDefault();
        target.invokeMethodAsync('OnKey', e.key);
    });

    window.handoff = {
        // Called by an interactive page once it is live; the attribute tells a person's script (and the browser
        // tests) that clicks and keys now reach the server.
        attach(reference, handledKeys) {
            target = reference;
            keys = handledKeys;
            document.body.dataset.interactive = 'true';
        },
        detach(reference) {
            if (target === reference) {
                target = null;
            }
        },
        focus(selector) {
            const el = document.querySelector(selector);
            if (el) {
                el.focus();
                if (el.select) {
                    el.select();
                }
            }
        },
    };
})();
