using Microsoft.ML;
using Microsoft.ML.Transforms.TimeSeries;

namespace Forecast.Worker
{
    public class TicketVolume { public float Count { get; set; } }

    public class Forecaster
    {
        private readonly MLContext _ml = new MLContext(seed: 7);

        public ITransformer Train(IDataView history)
        {
            var pipeline = _ml.Forecasting.ForecastBySsa(
                outputColumnName: "Forecast", inputColumnName: nameof(TicketVolume.Count),
                windowSize: 7, seriesLength: 30, trainSize: 365, horizon: 14);
            return pipeline.Fit(history);
        }
    }
}
