"""The language server (`auditor server`): findings in the editor as a page is written."""
