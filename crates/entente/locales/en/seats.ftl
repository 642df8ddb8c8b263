# Seat requests, nominations, allocation and feedback.

reason-deadline-passed = registration closed on { $value }
reason-not-taking-requests = the event is { $value } and takes no requests
reason-not-eligible = { $nation } may not take part in this event on its dates: { $why }
reason-above-quota = is more than the quota of { $value } seats per nation
reason-already-nominated = { $value } is already nominated to this event
reason-seats-all-named = all { $value } seats of the request are named; ask for more seats first
reason-request-cancelled = the request is cancelled
reason-not-at-deadline = the event gives seats as requests come (first come): there is nothing to allocate

seat-why-full = all { $asked } seats given
seat-why-not-eligible = not eligible on the event's dates
seat-why-quota = the quota of { $quota } seats per nation is reached
seat-why-higher-priority = { $capacity } seats, all taken by the { $ahead } seats asked at higher priorities
seat-why-spread = { $capacity } seats, { $asked } seats asked at priority { $priority } or higher, one per nation first: your seat no. { $seat } came too late
seat-why-taken = all { $capacity } seats were taken when the request came
seat-why-budget = the yearly budget of { $seats } sponsored seats is spent
seat-why-budget-area = the yearly budget of { $seats } sponsored seats in { $area } is spent

seat-answer-allocated = allocated: { $why }
seat-answer-partly = allocated { $granted } of { $asked }: { $why }
seat-answer-waitlisted = waitlisted: { $why }
seat-answer-requested = requested: seats are given when registration closes on { $deadline }
seat-answer-cancelled = cancelled

seat-status-requested = Requested
seat-status-allocated = Allocated
seat-status-waitlisted = Waitlisted
seat-status-cancelled = Cancelled
