"""Stage 6, rendering: what each brief shows, HTML through jinja2, PDFs through WeasyPrint, and the output set
written and swapped in as a whole."""
