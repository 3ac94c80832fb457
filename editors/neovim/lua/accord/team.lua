--- The team in Neovim: `:Accord team` opens the Team view (who is online in the project, what
--- their agents are doing now, the project's pending approvals, teammates' suggestions) in a
--- floating scratch buffer, from the server's `accord/team`; `accord/teamChanged` refreshes it
--- and tells you, through vim.notify, of a new suggestion, a new pending approval or a
--- teammate's finished proposal. In the view: `a` accepts the suggestion under the cursor, `d`
--- dismisses it, `r` refreshes, `q` closes.
local client = require("accord.client")

local M = { view = nil, buf = nil, rows = {} }

local function summary(step)
  local about = vim.trim(("%s %s"):format(step.action or "", step.file or ""))
  return ("%s: %s%s %s"):format(step.actor, about ~= "" and (about .. " — ") or "", step.step, step.status)
end

--- The lines of the view, and for each line the suggestion it shows (by line number).
function M.render(view)
  local lines, rows = {}, {}
  if view.problem then
    return { "Accord team: " .. view.problem }, rows
  end
  local state = view.connected and "connected" or "offline"
  table.insert(lines, ("Accord team · %s (%s)"):format(view.project, state))
  table.insert(lines, "Online: " .. (#view.online > 0 and table.concat(view.online, ", ") or "nobody"))
  table.insert(lines, "")
  table.insert(lines, "Agents")
  for _, step in ipairs(view.activity) do
    table.insert(lines, "  " .. summary(step))
  end
  table.insert(lines, "")
  table.insert(lines, "Pending approvals")
  for _, a in ipairs(view.approvals) do
    table.insert(lines, ("  %s — %s (risk %g, needs %s)"):format(a.title, a.requester, a.risk,
      table.concat(a.missing_roles, ", ")))
  end
  table.insert(lines, "")
  table.insert(lines, "Suggestions (a accept, d dismiss)")
  for n, s in ipairs(view.suggestions) do
    local where = s.file and (" (on " .. s.file .. ")") or ""
    table.insert(lines, ("  %d. [%s] %s: %s%s"):format(n, s.state, s.author, s.text, where))
    rows[#lines] = s
  end
  return lines, rows
end

local function draw(view)
  M.view = view
  if M.buf == nil or not vim.api.nvim_buf_is_valid(M.buf) then
    return
  end
  local lines, rows = M.render(view)
  M.rows = rows
  vim.bo[M.buf].modifiable = true
  vim.api.nvim_buf_set_lines(M.buf, 0, -1, false, lines)
  vim.bo[M.buf].modifiable = false
end

--- Asks the server for the Team view; `done(view)` gets it.
function M.fetch(done)
  local c = client.get()
  if c == nil then
    vim.notify("Accord: the language server is not running", vim.log.levels.ERROR)
    return
  end
  local function handler(err, view)
    if err then
      vim.notify("Accord: " .. err.message, vim.log.levels.ERROR)
    else
      draw(view)
      done(view)
    end
  end
  if vim.fn.has("nvim-0.11") == 1 then
    c:request("accord/team", {}, handler)
  else
    c.request("accord/team", {}, handler)
  end
end

--- Accepts or dismisses a suggestion (its number in the view, or its id).
function M.decide(which, decision)
  local list = M.view and M.view.suggestions or {}
  local picked = list[tonumber(which) or -1] or vim.iter(list):find(function(s) return s.id == which end)
  if picked == nil then
    vim.notify("Accord: no suggestion " .. tostring(which) .. " (see :Accord team)", vim.log.levels.ERROR)
    return
  end
  client.execute("accord.team.suggestion", { { id = picked.id, decision = decision } }, function(r)
    vim.notify(("Accord: %s's suggestion %s"):format(picked.author, r.state), vim.log.levels.INFO)
    M.fetch(function() end)
  end)
end

local function under_cursor(decision)
  local suggestion = M.rows[vim.api.nvim_win_get_cursor(0)[1]]
  if suggestion then
    M.decide(suggestion.id, decision)
  end
end

--- Opens the Team view in a floating window.
function M.open()
  M.fetch(function(view)
    if M.buf == nil or not vim.api.nvim_buf_is_valid(M.buf) then
      M.buf = vim.api.nvim_create_buf(false, true)
      vim.bo[M.buf].bufhidden = "wipe"
      vim.api.nvim_buf_set_name(M.buf, "accord://team")
      local map = function(key, run) vim.keymap.set("n", key, run, { buffer = M.buf, nowait = true }) end
      map("a", function() under_cursor("accept") end)
      map("d", function() under_cursor("dismiss") end)
      map("r", function() M.fetch(function() end) end)
      map("q", "<cmd>close<cr>")
    end
    draw(view)
    local width = math.min(100, vim.o.columns - 4)
    local height = math.min(30, math.max(8, vim.api.nvim_buf_line_count(M.buf)))
    vim.api.nvim_open_win(M.buf, true, {
      relative = "editor", style = "minimal", border = "rounded", title = " Accord team ",
      width = width, height = height,
      row = math.floor((vim.o.lines - height) / 2), col = math.floor((vim.o.columns - width) / 2),
    })
  end)
end

local function ids(list)
  local seen = {}
  for _, item in ipairs(list or {}) do
    seen[item.id] = true
  end
  return seen
end

--- What is new in `view` since `before`, as messages for vim.notify.
function M.news(before, view)
  local said = {}
  local known = ids(before and before.suggestions)
  for _, s in ipairs(view.suggestions or {}) do
    if not known[s.id] and s.state == "open" then
      table.insert(said, ("Accord: %s suggests: %s"):format(s.author, s.text))
    end
  end
  local waiting = ids(before and before.approvals)
  for _, a in ipairs(view.approvals or {}) do
    if not waiting[a.id] then
      table.insert(said, ("Accord: %s asks approval for %s"):format(a.requester, a.title))
    end
  end
  local last = {}
  for _, step in ipairs(before and before.activity or {}) do
    last[step.actor] = step.at
  end
  for _, step in ipairs(view.activity or {}) do
    if step.actor ~= view.me and step.step == "proposal" and last[step.actor] ~= step.at then
      table.insert(said, "Accord: " .. summary(step))
    end
  end
  return said
end

--- The `accord/teamChanged` handler: tell what is new, and redraw an open view.
function M.on_changed(_, view)
  for _, message in ipairs(M.news(M.view, view)) do
    vim.notify(message, vim.log.levels.INFO, { title = "Accord" })
  end
  draw(view)
end

--- `:[range]Accord suggest TEXT`: a suggestion into the project room, on the range when given.
function M.suggest(text, ranged, line1, line2)
  if vim.trim(text) == "" then
    vim.notify("usage: :[range]Accord suggest TEXT", vim.log.levels.ERROR)
    return
  end
  local argument = { text = text, uri = vim.uri_from_bufnr(0) }
  if ranged then
    argument.range = { start = { line = line1 - 1, character = 0 }, ["end"] = { line = line2, character = 0 } }
  end
  client.execute("accord.room.suggest", { argument }, function(r)
    vim.notify("Accord: suggestion sent to " .. r.project, vim.log.levels.INFO)
  end)
end

return M
