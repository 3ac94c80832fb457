-- :Accord many document FOLDER: agents over every file of a folder, one combined proposal.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local noted = report.noted
report.capture_notes()
report.data.prompts = {}
vim.ui.select = function(items, opts, on_choice)
  table.insert(report.data.prompts, opts.prompt)
  on_choice(items[1])
end

report.run(function()
  report.wait("the server's initialization", function()
    local client = vim.lsp.get_clients({ name = "accord" })[1]
    return client ~= nil and client.initialized
  end)
  vim.cmd("Accord many document " .. vim.env.ACCORD_FOLDER)
  if not vim.wait(90000, noted("files, applied"), 50) then
    table.insert(report.data.errors, "timed out waiting for the combined proposal")
  end
end)
