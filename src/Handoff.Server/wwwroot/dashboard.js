// Keyboard shortcuts for the dashboard. One listener for the whole page; the page component that wants keys
// attaches itself (a .NET object reference) and gets each key that is not typed into a field.
(() => {
    let target = null;
    let targetId = null;
    let keys = [];
    // The offer toast's own keys (y accepts, n declines), beside whatever page is open.
    let offerTarget = null;
    // The bell in the header, while its panel may be open: Esc and a click elsewhere close it.
    let bellTarget = null;
    const bellOpen = () => bellTarget && document.getElementById('bell-panel');

    const typing = el => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
    // Enter on a link or button is that control's own: a shortcut must never take it over.
    const control = el => el && (['A', 'BUTTON', 'SUMMARY'].includes(el.tagName) || el.hasAttribute('role'));

    document.addEventListener('keydown', e => {
        // Keys that compose a character (accents, CJK input) belong to the field being typed in.
        if (e.isComposing) {
            return;
        }
        // Esc belongs to the bell's panel while it is open: it closes, and focus goes back to the button that opened it.
        if (e.key === 'Escape' && bellOpen()) {
            e.preventDefault();
            document.getElementById('bell-button')?.focus();
            bellTarget.invokeMethodAsync('CloseBell');
            return;
        }
        if (e.key === 'Escape' && typing(document.activeElement)) {
            document.activeElement.blur();
            return;
        }
        if (offerTarget && (e.key === 'y' || e.key === 'n') && !e.repeat && !e.ctrlKey && !e.metaKey && !e.altKey
            && !typing(e.target) && document.getElementById('offer')) {
            e.preventDefault();
            offerTarget.invokeMethodAsync('OnOfferKey', e.key);
            return;
        }
        // A held key repeats; one press must be one decision, never a second one on the case that opens next.
        if (!target || e.repeat || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) {
            return;
        }
        if (e.key === 'Enter' && control(e.target)) {
            return;
        }
        if (!keys.includes(e.key)) {
            return;
        }
        e.preventDefault();
        target.invokeMethodAsync('OnKey', e.key);
    });

    // The supervisor's board: a case dragged onto a person is handed to them. Listeners stay on the document; the
    // board page registers itself while it is open.
    let board = null;
    const zoneOf = e => board && e.target instanceof Element ? e.target.closest('[data-drop-person]') : null;
    document.addEventListener('dragstart', e => {
        const item = e.target instanceof Element ? e.target.closest('[data-drag-case]') : null;
        if (item) {
            e.dataTransfer.setData('text/plain', item.dataset.dragCase);
            e.dataTransfer.effectAllowed = 'move';
        }
    });
    document.addEventListener('dragover', e => {
        const zone = zoneOf(e);
        if (zone) {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'move';
            zone.classList.add('drop-over');
        }
    });
    document.addEventListener('dragleave', e => {
        const zone = zoneOf(e);
        if (zone && !zone.contains(e.relatedTarget)) {
            zone.classList.remove('drop-over');
        }
    });
    document.addEventListener('drop', e => {
        const zone = zoneOf(e);
        if (!zone) {
            return;
        }
        e.preventDefault();
        zone.classList.remove('drop-over');
        const caseId = e.dataTransfer.getData('text/plain');
        if (caseId) {
            board.invokeMethodAsync('OnDrop', caseId, zone.dataset.dropPerson);
        }
    });

    document.addEventListener('click', e => {
        if (bellOpen() && e.target instanceof Element && !e.target.closest('#bell')) {
            bellTarget.invokeMethodAsync('CloseBell');
        }
    });
    // What the bell last showed, read in another tab of the same person: this tab's badge follows.
    const seenKey = 'handoff.bell.seen.';
    window.addEventListener('storage', e => {
        if (bellTarget && e.key && e.key.startsWith(seenKey)) {
            bellTarget.invokeMethodAsync('OnSeenElsewhere', e.key.substring(seenKey.length), e.newValue);
        }
    });

    // Desktop notifications. The browser asks the person only from their own gesture, so the "Enable" button is
    // handled here, in the click itself; a round trip through the server first could lose the gesture.
    const permissionWatchers = new Map();
    const permission = () => 'Notification' in window ? Notification.permission : 'unsupported';
    const tellPermission = () => {
        const state = permission();
        for (const watcher of permissionWatchers.values()) {
            watcher.invokeMethodAsync('OnPermission', state);
        }
    };
    document.addEventListener('click', e => {
        const button = e.target instanceof Element ? e.target.closest('[data-enable-notifications]') : null;
        if (button && 'Notification' in window) {
            Notification.requestPermission().then(tellPermission, tellPermission);
        }
    });
    // A change made in the browser's own site settings.
    if (navigator.permissions) {
        navigator.permissions.query({ name: 'notifications' }).then(status => { status.onchange = tellPermission; }, () => {});
    }

    window.handoff = {
        board(reference) {
            board = reference;
        },
        unboard() {
            board = null;
        },
        // Called by an interactive page once it is live; the attribute tells a person's script (and the browser
        // tests) that clicks and keys now reach the server.
        // A .NET object reference arrives as a new JS object on every call, so pages name themselves with an id.
        attach(reference, id, handledKeys) {
            target = reference;
            targetId = id;
            keys = handledKeys;
            document.body.dataset.interactive = 'true';
        },
        detach(id) {
            if (targetId === id) {
                target = null;
                targetId = null;
                keys = [];
            }
        },
        // The offer toast attaches itself (null lets go).
        offerKeys(reference) {
            offerTarget = reference;
        },
        // Every live page says so, keyboard or not (the layout calls this once the circuit is up).
        live() {
            document.body.dataset.interactive = 'true';
        },
        bell: {
            attach(reference) {
                bellTarget = reference;
            },
            detach() {
                bellTarget = null;
            },
            // A browser that keeps nothing (private mode with storage blocked) shows every notice as unread.
            seen(userId) {
                try {
                    return localStorage.getItem(seenKey + userId);
                } catch {
                    return null;
                }
            },
            see(userId, value) {
                try {
                    localStorage.setItem(seenKey + userId, value);
                } catch {
                    // Nothing kept: the badge comes back on the next page load.
                }
            },
        },
        notifications: {
            // Registers a control that shows the permission (one id per control) and returns the permission now.
            watch(reference, id) {
                permissionWatchers.set(id, reference);
                return permission();
            },
            unwatch(id) {
                permissionWatchers.delete(id);
            },
            // Shows an offer on the desktop, only while this page is hidden (else the toast is in front of the person);
            // clicking it brings the tab back. The tag keeps one notification per offer however many tabs are open.
            offer(title, body, tag) {
                if (document.visibilityState !== 'hidden' || permission() !== 'granted') {
                    return false;
                }
                try {
                    const shown = new Notification(title, { body, tag });
                    shown.onclick = () => {
                        window.focus();
                        shown.close();
                    };
                    return true;
                } catch {
                    // Chrome on Android shows notifications only through a service worker, which the dashboard has not.
                    return false;
                }
            },
        },
        // The browser's IANA time zone, the default for a person who has not chosen one.
        timeZone() {
            try {
                return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
            } catch {
                return null;
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
