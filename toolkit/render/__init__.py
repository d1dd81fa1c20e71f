"""Render stage: one writer per format, all fed the resolved corpus / document tree.

Writers take ``(corpus, out_dir)`` (or a :class:`toolkit.document.Document`) and
return the list of files they wrote.  They never read YAML.
"""
