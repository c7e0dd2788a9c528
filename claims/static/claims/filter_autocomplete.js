// The claim list's autocomplete filters (claims/admin/list_filters.py): a select2 box per filter that asks the
// admin for matches as one types, and opens the list filtered by the chosen row, keeping the other filters.
'use strict';
{
    const $ = django.jQuery;
    function start() {
        $('select.claim-filter-autocomplete').each(function () {
            const box = $(this);
            box.select2({
                ajax: {
                    url: box.data('choices-url'),
                    dataType: 'json',
                    delay: 250,
                    data: (params) => ({term: params.term || '', page: params.page || 1}),
                },
                placeholder: box.data('placeholder'),
                allowClear: false,
                minimumInputLength: 0,
                width: '100%',
            });
            box.on('select2:select', (event) => {
                const base = String(box.data('base-query') || '?');
                const join = base === '?' || base.endsWith('&') ? '' : '&';
                const pair = encodeURIComponent(box.data('parameter')) + '=' + encodeURIComponent(event.params.data.id);
                window.location.search = (base.startsWith('?') ? base : '?' + base) + join + pair;
            });
        });
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}
