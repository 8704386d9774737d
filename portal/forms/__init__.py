"""What every form shares: the base that reads only form posts, the GOV.UK
fields, the error summary's links, and timed-out forms shown again."""
