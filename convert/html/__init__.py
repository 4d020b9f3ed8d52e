"""The HTML rendering of the IR shared by the html, epub and pdf writers, its stylesheets and URL fetcher."""
