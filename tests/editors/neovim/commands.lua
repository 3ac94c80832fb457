-- :Accord mode (set, then get), :Accord approvals (the CLI's answer), :checkhealth accord.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local noted = report.noted
report.capture_notes()

report.run(function()
  report.wait("the client", function() return #vim.lsp.get_clients({ name = "accord" }) > 0 end)
  report.wait("the server's initialization", function()
    return vim.lsp.get_clients({ name = "accord" })[1].initialized
  end)
  vim.cmd("Accord mode control")
  report.wait("the mode to be set", noted("Accord mode: control %(was guidance%)"))
  vim.cmd("Accord mode")
  report.wait("the mode", noted("^Accord mode: control$"))
  vim.cmd("Accord approvals")
  report.wait("accord approvals list", noted("which org server"))
  vim.cmd("checkhealth accord")
  report.data.health = vim.api.nvim_buf_get_lines(0, 0, -1, false)
end)
