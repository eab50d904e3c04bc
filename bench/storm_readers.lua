-- wrk script for bench/storm.py: the readers of a big-news night, each connection's requests
-- going round the pages given after "--" (the front page, the lead story, the live coverage).
-- The requests are made once in init(): wrk asks for one per response, thousands a second.

local requests = {}
local counter = 0

function init(args)
  for i, path in ipairs(args) do
    requests[i] = wrk.format("GET", path)
  end
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
