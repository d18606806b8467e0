namespace Handoff.Core.Routing;

public sealed partial class WorkingClock
{
    /// <summary>
    /// The team's openings as absolute [start, end) intervals in UTC ticks, in time order, from the local day before a
    /// given instant onwards (a day's openings end by the next local midnight, so that day is enough to catch the one
    /// the instant may fall in). A struct so that walking a week allocates nothing.
    /// </summary>
    private struct DayWalk
    {
        // A week with openings works at least once in any 7 days, and each closure (or an opening lost in a skipped hour)
        // can push the next working day back by at most a week; a walk longer than that past the last working day met
        // can only be a week that never opens, so it stops rather than spin.
        private readonly int _giveUpAfter;
        private readonly WorkingClock _clock;
        private DateOnly _date;
        private (TimeSpan Before, TimeSpan After) _offsets;
        private (TimeSpan Opens, TimeSpan Closes)[] _openings;
        private int _index;
        private int _idleDays;

        public DayWalk(WorkingClock clock, long utcTicks)
        {
            _clock = clock;
            _giveUpAfter = 7 * (clock._closures.Count + 3);
            var zone = clock._zone!;
            var local = utcTicks + zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
            _date = DateOnly.FromDayNumber((int)(local / TicksPerDay)).AddDays(-1);
            _openings = [];
            _index = 0;
            _idleDays = -1;
            Load();
        }

        public bool Next(out long start, out long end)
        {
            while (true)
            {
                while (_index < _openings.Length)
                {
                    var (opens, closes) = _openings[_index++];
                    start = ToUtc(opens);
                    end = ToUtc(closes);
                    if (end > start)
                    {
                        _idleDays = 0;
                        return true;
                    }
                }

                if (_clock._neverOpen || ++_idleDays > _giveUpAfter)
                {
                    start = end = 0;
                    return false;
                }

                _date = _date.AddDays(1);
                Load();
            }
        }

        private void Load()
        {
            _index = 0;
            _openings = _clock._closures.Contains(_date) ? [] : _clock._week[(int)_date.DayOfWeek];
            if (_openings.Length > 0)
            {
                // The offsets in force a day before and a day after this local day bracket any change of offset on it
                // (offsets stay within ±14 h). This assumes a zone changes its offset at most once in three days,
                // which every zone in the tz database does.
                var midnight = (long)_date.DayNumber * TicksPerDay;
                _offsets = (Offset(midnight - TicksPerDay), Offset(midnight + 2 * TicksPerDay));
            }
        }

        /// <summary>A time of day on <see cref="_date"/> (up to 24:00) as UTC ticks; see the class remarks for DST.</summary>
        private readonly long ToUtc(TimeSpan timeOfDay)
        {
            var local = (long)_date.DayNumber * TicksPerDay + timeOfDay.Ticks;
            var (before, after) = _offsets;
            if (before == after)
            {
                return local - before.Ticks;
            }

            var early = local - before.Ticks;
            var late = local - after.Ticks;
            var earlyValid = Offset(early) == before;
            var lateValid = Offset(late) == after;
            if (earlyValid && lateValid)
            {
                return Math.Min(early, late); // shown twice (fall back): the first occurrence
            }

            if (earlyValid || lateValid)
            {
                return earlyValid ? early : late;
            }

            // Skipped (spring forward): the moment of the jump, the first instant at which the offset is `after`.
            // It lies in (late, early]; search it to the tick, which only times inside a skipped hour ever pay.
            long low = late, high = early;
            while (high - low > 1)
            {
                var middle = low + (high - low) / 2;
                if (Offset(middle) == after)
                {
                    high = middle;
                }
                else
                {
                    low = middle;
                }
            }

            return high;
        }

        private readonly TimeSpan Offset(long utcTicks) => _clock._zone!.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc));
    }
}
