"""The staff back office: sign-in, submissions, status workflow, exports, audit, preview.

The blueprint and its routes are in portal.staff.views.
"""
