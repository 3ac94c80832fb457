-- :Accord login URL TOKEN against a real org server, then :Accord approvals.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local noted = report.noted
report.capture_notes()

report.run(function()
  vim.cmd(("Accord login %s %s"):format(vim.env.ACCORD_ORG_URL, vim.env.ACCORD_ORG_TOKEN))
  report.wait("the login", noted("logged in to"))
  vim.cmd("Accord approvals")
  report.wait("the approvals", noted("nothing to decide"))
end)
